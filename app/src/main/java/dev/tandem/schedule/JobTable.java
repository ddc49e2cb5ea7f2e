package dev.tandem.schedule;

import dev.tandem.store.Batches;
import dev.tandem.store.Database;
import dev.tandem.store.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of {@code scheduled_jobs}: upserts, cancels, claims and the next due time. A job is
 * claimable when it is due and free, or due and leased by an owner whose lease has ended (crashed,
 * or its run outlived the lease). Claims and completions bind positionally on the handle's
 * connection (as {@link Batches} does) because they carry hundreds of rows a statement.
 */
final class JobTable {
    private static final String CLAIMABLE = "kind = ? AND due_at <= ? AND (owner IS NULL OR lease_until <= ?)";
    /**
     * Why the CASEs: a job rescheduled while a scheduler runs it keeps that lease until the run ends,
     * so that two runs never overlap; its token is negated so that the run's completion does not
     * undo the new schedule but only hands the job back (see {@link Completion}).
     */
    private static final String UPSERT = """
            INSERT INTO scheduled_jobs (kind, job_key, payload, due_at, attempt) VALUES (?, ?, ?, ?, 1)
            ON CONFLICT (kind, job_key) DO UPDATE SET payload = excluded.payload, due_at = excluded.due_at, attempt = 1,
                last_error = NULL, failed_at = NULL,
                lease = CASE WHEN scheduled_jobs.lease_until > ? THEN -ABS(scheduled_jobs.lease) ELSE scheduled_jobs.lease END,
                owner = CASE WHEN scheduled_jobs.lease_until > ? THEN scheduled_jobs.owner END,
                lease_until = CASE WHEN scheduled_jobs.lease_until > ? THEN scheduled_jobs.lease_until END""";

    private static final String CLAIM_SQLITE = """
            UPDATE scheduled_jobs SET owner = ?, lease = ?, lease_until = ?
            WHERE rowid IN (SELECT rowid FROM scheduled_jobs WHERE %s ORDER BY due_at LIMIT ?)
            RETURNING job_key, payload, due_at, attempt""".formatted(CLAIMABLE);
    /**
     * Why by ctid: with a join on the key, PostgreSQL's generic plan for the prepared statement
     * (which cannot see the LIMIT) hashed the whole table for every claim; the rows locked by the
     * subquery are updated where they lie instead. SKIP LOCKED: two owners claiming at once take
     * different rows, neither waits.
     */
    private static final String CLAIM_POSTGRES = """
            UPDATE scheduled_jobs SET owner = ?, lease = ?, lease_until = ?
            WHERE ctid = ANY(ARRAY(SELECT ctid FROM scheduled_jobs WHERE %s ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED))
            RETURNING job_key, payload, due_at, attempt""".formatted(CLAIMABLE);

    private final Database database;

    JobTable(Database database) {
        this.database = database;
    }

    Database database() {
        return database;
    }

    void upsert(Handle h, String kind, List<Planned> jobs, long now) {
        Batches.run(h, UPSERT, jobs, (st, job) -> {
            st.setString(1, kind);
            st.setString(2, job.key());
            st.setString(3, job.payload());
            st.setLong(4, job.dueAt().toEpochMilli());
            st.setLong(5, now);
            st.setLong(6, now);
            st.setLong(7, now);
        });
    }

    boolean delete(Handle h, String kind, String key) {
        return h.createUpdate("DELETE FROM scheduled_jobs WHERE kind = :kind AND job_key = :key")
                        .bind("kind", kind)
                        .bind("key", key)
                        .execute()
                > 0;
    }

    /**
     * True when a job of {@code kind} is claimable now: a read, so that a tick with nothing due takes
     * no write lock. Why the ORDER BY: without it PostgreSQL's generic plan for the prepared statement
     * expects an early match from a sequential scan, and with nothing due reads the whole table.
     */
    boolean anyClaimable(Handle h, String kind, long now) {
        return h.createQuery(
                        "SELECT 1 FROM scheduled_jobs WHERE kind = :kind AND due_at <= :now AND (owner IS NULL OR lease_until <= :now) "
                                + "ORDER BY due_at LIMIT 1")
                .bind("kind", kind)
                .bind("now", now)
                .mapTo(Integer.class)
                .findOne()
                .isPresent();
    }

    /** Claims up to {@code max} claimable jobs of {@code kind}, oldest due first, for {@code owner} with token {@code lease}. */
    Claim claim(String kind, int max, String owner, long lease, long now, long leaseEnd) {
        String sql = database.dialect() == Dialect.SQLITE ? CLAIM_SQLITE : CLAIM_POSTGRES;
        List<Due> dues = Bookkeeping.inTransaction(database, h -> {
            try (PreparedStatement st = h.getConnection().prepareStatement(sql)) {
                st.setString(1, owner);
                st.setLong(2, lease);
                st.setLong(3, leaseEnd);
                st.setString(4, kind);
                st.setLong(5, now);
                st.setLong(6, now);
                st.setInt(7, max);
                List<Due> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Due(
                                kind,
                                rs.getString(1),
                                rs.getString(2),
                                Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getInt(4)));
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "Claiming due jobs of kind '" + kind + "' failed: " + e.getMessage(), e);
            }
        });
        dues.sort(Comparator.comparing(Due::dueAt));
        return new Claim(kind, owner, lease, leaseEnd, dues);
    }

    /**
     * When the next free job of {@code kind} is due (epoch milliseconds), or {@link Long#MAX_VALUE}
     * when it has none. Leases are not in it: a lease that ends without its owner completing (a
     * crash) is found at the next look, within the poll bound.
     */
    long nextDue(Handle h, String kind) {
        return h.createQuery(
                        "SELECT due_at FROM scheduled_jobs WHERE kind = :kind AND owner IS NULL ORDER BY due_at LIMIT 1")
                .bind("kind", kind)
                .mapTo(Long.class)
                .findOne()
                .orElse(Long.MAX_VALUE);
    }
}
