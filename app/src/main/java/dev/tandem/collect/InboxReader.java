package dev.tandem.collect;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Reads the inbox and the quarantine in arrival order, a page at a time. */
public final class InboxReader implements EventLog {
    private final Jdbi jdbi;
    private final EventSealing sealing;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper = dev.tandem.config.Json.mapper();

    public InboxReader(Jdbi jdbi, EventSealing sealing) {
        this.jdbi = jdbi;
        this.sealing = sealing;
    }

    /** Events after {@code afterSeq}, optionally of one source, oldest first, personal values in clear. */
    public List<StoredEvent> events(String sourceId, long afterSeq, int limit) {
        return opened(stored(sourceId, afterSeq, limit));
    }

    /**
     * As {@link #events}, as stored (personal values sealed): the processor opens each with
     * {@link #open} after its own parse, so that an event is parsed once.
     */
    public List<StoredEvent> stored(String sourceId, long afterSeq, int limit) {
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
        return stored(null, seq, limit);
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

    /** The payloads of the given seqs, personal values in clear, in seq order; seqs that do not exist are skipped. */
    public List<StoredEvent> eventsAt(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        return opened(jdbi.withHandle(
                h -> h.createQuery("SELECT seq, source_id, payload FROM inbox WHERE seq IN (<seqs>) ORDER BY seq")
                        .bindList("seqs", seqs)
                        .map((rs, ctx) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        .list()));
    }

    /** How this inbox's events are sealed, for code that reads stored payloads itself (erasure of the backlog). */
    public EventSealing sealing() {
        return sealing;
    }

    /** Decrypts a parsed stored event in place when it holds sealed values; values of erased subjects are removed. */
    @Override
    public void open(String payload, com.fasterxml.jackson.databind.JsonNode event) {
        if (event instanceof com.fasterxml.jackson.databind.node.ObjectNode object && sealing.sealed(payload)) {
            sealing.open(object);
        }
    }

    private List<StoredEvent> opened(List<StoredEvent> events) {
        List<StoredEvent> out = new java.util.ArrayList<>(events.size());
        for (StoredEvent e : events) {
            if (!sealing.sealed(e.payload())) {
                out.add(e);
                continue;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode tree = mapper.readTree(e.payload());
                open(e.payload(), tree);
                out.add(new StoredEvent(e.seq(), e.sourceId(), mapper.writeValueAsString(tree)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalStateException("Inbox event " + e.seq() + " is not JSON", ex);
            }
        }
        return out;
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
