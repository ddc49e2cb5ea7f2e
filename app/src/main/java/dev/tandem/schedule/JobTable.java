package dev.tandem.schedule;

import dev.tandem.store.Batches;
import dev.tandem.store.Database;
import dev.tandem.store.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of {@code scheduled_jobs}: upserts, cancels, claims and the next wake time. Claims and
 * completions bind positionally on the handle's connection (as {@link Batches} does) because they
 * carry hundreds of rows per statement; the rest goes through Jdbi.
 */
final class JobTable {
    private static final String UPSERT = """
            INSERT INTO scheduled_jobs (kind, job_key, payload, due_at, wake_at, attempt) VALUES (?, ?, ?, ?, ?, 1)
            ON CONFLICT (kind, job_key) DO UPDATE SET payload = excluded.payload, due_at = excluded.due_at, attempt = 1,
                last_error = NULL, failed_at = NULL, owner = NULL,
                wake_at = CASE WHEN scheduled_jobs.owner IS NOT NULL AND scheduled_jobs.wake_at > ?
                               THEN %s(scheduled_jobs.wake_at, excluded.due_at) ELSE excluded.due_at END""";
    private static final String CLAIM_SQLITE = """
            UPDATE scheduled_jobs SET owner = ?, lease = ?, wake_at = ?
            WHERE rowid IN (SELECT rowid FROM scheduled_jobs WHERE kind = ? AND wake_at <= ? ORDER BY wake_at LIMIT ?)
            RETURNING job_key, payload, due_at, attempt""";
    private static final String CLAIM_POSTGRES = """
            WITH picked AS MATERIALIZED (
                SELECT kind, job_key FROM scheduled_jobs WHERE kind = ? AND wake_at <= ? ORDER BY wake_at LIMIT ?
                FOR UPDATE SKIP LOCKED)
            UPDATE scheduled_jobs j SET owner = ?, lease = ?, wake_at = ?
            FROM picked WHERE j.kind = picked.kind AND j.job_key = picked.job_key
            RETURNING j.job_key, j.payload, j.due_at, j.attempt""";

    private final Database database;
    private final String upsert;

    JobTable(Database database) {
        this.database = database;
        // Why the CASE: a job rescheduled while a scheduler runs it keeps its lease until that run ends, so two never overlap
        this.upsert = UPSERT.formatted(database.dialect() == Dialect.SQLITE ? "MAX" : "GREATEST");
    }

    Database database() {
        return database;
    }

    void upsert(Handle h, String kind, List<Planned> jobs, long now) {
        Batches.run(h, upsert, jobs, (st, job) -> {
            long due = job.dueAt().toEpochMilli();
            st.setString(1, kind);
            st.setString(2, job.key());
            st.setString(3, job.payload());
            st.setLong(4, due);
            st.setLong(5, due);
            st.setLong(6, now);
        });
    }

    boolean delete(Handle h, String kind, String key) {
        return h.createUpdate("DELETE FROM scheduled_jobs WHERE kind = :kind AND job_key = :key").bind("kind", kind).bind("key", key)
                .execute() > 0;
    }

    /** Claims up to {@code max} due jobs of {@code kind} (due, or leased by an owner whose lease ran out), oldest first. */
    Claim claim(String kind, int max, String owner, long lease, long now, long leaseEnd) {
        List<Due> dues = database.jdbi().withHandle(h -> {
            boolean sqlite = database.dialect() == Dialect.SQLITE;
            try (PreparedStatement st = h.getConnection().prepareStatement(sqlite ? CLAIM_SQLITE : CLAIM_POSTGRES)) {
                int i = 1;
                if (!sqlite) {
                    st.setString(i++, kind);
                    st.setLong(i++, now);
                    st.setInt(i++, max);
                }
                st.setString(i++, owner);
                st.setLong(i++, lease);
                st.setLong(i++, leaseEnd);
                if (sqlite) {
                    st.setString(i++, kind);
                    st.setLong(i++, now);
                    st.setInt(i, max);
                }
                List<Due> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Due(kind, rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4)));
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw new IllegalStateException("Claiming due jobs of kind '" + kind + "' failed: " + e.getMessage(), e);
            }
        });
        dues.sort(java.util.Comparator.comparing(Due::dueAt));
        return new Claim(kind, owner, lease, leaseEnd, dues);
    }

    /** When the next job of {@code kind} is due or its lease ends (epoch milliseconds), or {@link Long#MAX_VALUE} when it has none. */
    long nextWake(Handle h, String kind) {
        return h.createQuery("SELECT wake_at FROM scheduled_jobs WHERE kind = :kind ORDER BY wake_at LIMIT 1").bind("kind", kind)
                .mapTo(Long.class).findOne().orElse(Long.MAX_VALUE);
    }
}
