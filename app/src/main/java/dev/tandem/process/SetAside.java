package dev.tandem.process;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The processing quarantine: inbox events the pipeline could not apply, each with the stage that
 * failed and why. The event stays in the inbox; this table only points at it.
 */
final class SetAside {
    /** The longest reason kept: an exception message can be long, and it is shown, not parsed. */
    private static final int MAX_REASON = 1_000;

    /** One event set aside, as listed. */
    record Entry(
            long seq,
            String sourceId,
            String stage,
            String reason,
            long setAsideAt,
            int attempts,
            Long replayRequested,
            Long replayedAt) {}

    private final Jdbi jdbi;

    SetAside(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records (or records again, after a failed replay) that the event at {@code seq} could not be applied. */
    static void record(Handle h, long seq, String sourceId, String stage, String reason, long at) {
        h.createUpdate("""
                INSERT INTO process_set_aside (seq, source_id, stage, reason, set_aside_at, attempts)
                VALUES (:seq, :source, :stage, :reason, :at, 1)
                ON CONFLICT (seq) DO UPDATE SET stage = excluded.stage, reason = excluded.reason, set_aside_at = excluded.set_aside_at,
                    attempts = process_set_aside.attempts + 1, replay_requested = NULL, replayed_at = NULL""")
                .bind("seq", seq)
                .bind("source", sourceId)
                .bind("stage", stage)
                .bind("reason", reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason)
                .bind("at", at)
                .execute();
    }

    static void replayed(Handle h, long seq, long at) {
        h.createUpdate("UPDATE process_set_aside SET replayed_at = :at, replay_requested = NULL WHERE seq = :seq")
                .bind("at", at)
                .bind("seq", seq)
                .execute();
    }

    /** Events still set aside (not replayed) after {@code afterSeq}, oldest first; replayed ones too when asked. */
    List<Entry> list(long afterSeq, int limit, boolean includeReplayed) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT seq, source_id, stage, reason, set_aside_at, attempts, replay_requested, replayed_at"
                                + " FROM process_set_aside WHERE seq > :after"
                                + (includeReplayed ? "" : " AND replayed_at IS NULL")
                                + " ORDER BY seq LIMIT :limit")
                .bind("after", afterSeq)
                .bind("limit", limit)
                .map((rs, ctx) -> new Entry(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getInt(6),
                        nullableLong(rs, 7),
                        nullableLong(rs, 8)))
                .list());
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    long open() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM process_set_aside WHERE replayed_at IS NULL")
                .mapTo(Long.class)
                .one());
    }

    /** Asks for these events (all open ones when {@code seqs} is empty) to be applied again; how many were asked for. */
    int requestReplay(List<Long> seqs, long at) {
        return jdbi.withHandle(h -> seqs.isEmpty()
                ? h.createUpdate("UPDATE process_set_aside SET replay_requested = :at WHERE replayed_at IS NULL")
                        .bind("at", at)
                        .execute()
                : h.createUpdate(
                                "UPDATE process_set_aside SET replay_requested = :at WHERE replayed_at IS NULL AND seq IN (<seqs>)")
                        .bind("at", at)
                        .bindList("seqs", seqs)
                        .execute());
    }

    /** The seqs a steward asked to replay, oldest first, at most {@code limit}. */
    List<Long> requested(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM process_set_aside WHERE replay_requested IS NOT NULL"
                        + " AND replayed_at IS NULL ORDER BY seq LIMIT :limit")
                .bind("limit", limit)
                .mapTo(Long.class)
                .list());
    }

    /** Forgets entries whose event is no longer in the inbox (an erasure deleted it). */
    static void forgetMissing(Handle h, List<Long> seqs) {
        if (!seqs.isEmpty()) {
            h.createUpdate("DELETE FROM process_set_aside WHERE seq IN (<seqs>)")
                    .bindList("seqs", seqs)
                    .execute();
        }
    }

    /** For a replay from the start: every event is tried again, in order, so nothing stays set aside. */
    static void clear(Handle h) {
        h.execute("DELETE FROM process_set_aside");
    }
}
