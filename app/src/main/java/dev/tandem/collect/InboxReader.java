package dev.tandem.collect;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Reads the inbox and the quarantine in arrival order, a page at a time. */
public final class InboxReader implements EventLog {
    private final Jdbi jdbi;

    public InboxReader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Events after {@code afterSeq}, optionally of one source, oldest first. */
    public List<StoredEvent> events(String sourceId, long afterSeq, int limit) {
        String sql = "SELECT seq, source_id, payload FROM inbox WHERE seq > :after"
                + (sourceId == null ? "" : " AND source_id = :source")
                + " ORDER BY seq LIMIT :limit";
        return jdbi.withHandle(h -> h.createQuery(sql)
                .bind("after", afterSeq)
                .bind("source", sourceId)
                .bind("limit", limit)
                .map((rs, ctx) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list());
    }

    @Override
    public List<StoredEvent> after(long seq, int limit) {
        return events(null, seq, limit);
    }

    @Override
    public List<StoredEvent> at(List<Long> seqs) {
        return eventsAt(seqs);
    }

    /** The newest seq in the inbox, 0 when it is empty. */
    @Override
    public long latestSeq() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM inbox")
                .mapTo(Long.class)
                .one());
    }

    /** The stored payloads of the given seqs, in seq order; seqs that do not exist are skipped. */
    public List<StoredEvent> eventsAt(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(
                h -> h.createQuery("SELECT seq, source_id, payload FROM inbox WHERE seq IN (<seqs>) ORDER BY seq")
                        .bindList("seqs", seqs)
                        .map((rs, ctx) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        .list());
    }

    public long countEvents() {
        return jdbi.withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM inbox").mapTo(Long.class).one());
    }

    /** Quarantined events after {@code afterId}, oldest first; replayed ones only when asked. */
    public List<QuarantinedEvent> quarantine(String sourceId, long afterId, int limit, boolean includeReplayed) {
        String sql =
                "SELECT id, source_id, received_at, code, message, field, payload, replayed_at FROM quarantine WHERE id > :after"
                        + (sourceId == null ? "" : " AND source_id = :source")
                        + (includeReplayed ? "" : " AND replayed_at IS NULL")
                        + " ORDER BY id LIMIT :limit";
        return jdbi.withHandle(h -> h.createQuery(sql)
                .bind("after", afterId)
                .bind("source", sourceId)
                .bind("limit", limit)
                .map((rs, ctx) -> quarantined(rs))
                .list());
    }

    public Optional<QuarantinedEvent> quarantined(long id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, source_id, received_at, code, message, field, payload, replayed_at FROM quarantine WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> quarantined(rs))
                .findOne());
    }

    /** Marks a quarantined event as replayed; false when it was replayed already. */
    boolean markReplayed(long id, long at) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE quarantine SET replayed_at = :at WHERE id = :id AND replayed_at IS NULL")
                        .bind("at", at)
                        .bind("id", id)
                        .execute())
                == 1;
    }

    static QuarantinedEvent quarantined(java.sql.ResultSet rs) throws java.sql.SQLException {
        long replayed = rs.getLong(8);
        Long replayedAt = rs.wasNull() ? null : replayed;
        return new QuarantinedEvent(
                rs.getLong(1),
                rs.getString(2),
                rs.getLong(3),
                new Reason(rs.getString(4), rs.getString(5), rs.getString(6)),
                rs.getString(7),
                replayedAt);
    }
}
