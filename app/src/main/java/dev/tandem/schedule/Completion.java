package dev.tandem.schedule;

import dev.tandem.store.Batches;
import dev.tandem.store.InLists;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes back what became of one claim's jobs, in one transaction: finished ones deleted by one
 * statement per 500 keys, rearmed and failed ones updated in one batch each. Every write is fenced
 * by the claim's owner and lease token, so an owner whose lease ran out (and whose jobs another
 * owner took) changes nothing. A job rescheduled while it ran carries the negated token: its new
 * due time stands, and the job is only made free now that the run is over.
 */
final class Completion {
    private static final String FENCE = " WHERE kind = ? AND owner = ? AND lease = ? AND job_key ";
    private static final String FREE = "owner = NULL, lease_until = NULL";
    private static final String DELETE = "DELETE FROM scheduled_jobs" + FENCE + "IN (%s)";
    private static final String UNRUN = "UPDATE scheduled_jobs SET " + FREE + FENCE + "IN (%s)";
    private static final String REARM =
            "UPDATE scheduled_jobs SET payload = ?, due_at = ?, attempt = 1, last_error = NULL, failed_at = NULL, "
                    + FREE + FENCE + "= ?";
    private static final String FAIL =
            "UPDATE scheduled_jobs SET attempt = ?, due_at = ?, last_error = ?, failed_at = ?, " + FREE + FENCE + "= ?";
    /** A job rescheduled while it ran: its token was negated; the run is over, so it is free again under its new schedule. */
    private static final String RELEASE = "UPDATE scheduled_jobs SET " + FREE + FENCE + "IN (%s)";

    /** How many writes found their job taken over by another owner (lease lost), and how many found it rescheduled. */
    record Written(int lost, int rescheduled) {}

    private Completion() {}

    static Written write(Handle h, Claim claim, List<Outcome> outcomes) {
        List<String> finished = new ArrayList<>();
        List<String> unrun = new ArrayList<>();
        List<Outcome.Rearmed> rearmed = new ArrayList<>();
        List<Outcome.Failed> failed = new ArrayList<>();
        for (Outcome o : outcomes) {
            switch (o) {
                case Outcome.Finished f -> finished.add(f.key());
                case Outcome.Unrun u -> unrun.add(u.key());
                case Outcome.Rearmed r -> rearmed.add(r);
                case Outcome.Failed f -> failed.add(f);
            }
        }
        List<String> missed = new ArrayList<>();
        missed.addAll(byKeys(h, DELETE, claim, finished));
        missed.addAll(byKeys(h, UNRUN, claim, unrun));
        int[] counts = Batches.run(h, REARM, rearmed, (st, r) -> {
            st.setString(1, r.payload());
            st.setLong(2, r.dueAt());
            fence(st, 3, claim, r.key());
        });
        missedOf(counts, rearmed, missed);
        counts = Batches.run(h, FAIL, failed, (st, f) -> {
            st.setInt(1, f.attempt());
            st.setLong(2, f.dueAt());
            st.setString(3, f.error());
            st.setLong(4, f.failedAt());
            fence(st, 5, claim, f.key());
        });
        missedOf(counts, failed, missed);
        if (missed.isEmpty()) {
            return new Written(0, 0);
        }
        int rescheduled = 0;
        for (List<String> keys : InLists.chunks(missed)) {
            rescheduled += update(h, RELEASE.formatted(marks(keys.size())), st -> {
                st.setString(1, claim.kind());
                st.setString(2, claim.owner());
                st.setLong(3, -claim.lease());
                bindKeys(st, 4, keys);
            });
        }
        return new Written(missed.size() - rescheduled, rescheduled);
    }

    /** Runs a fenced statement over {@code keys}; the keys it may have missed (all of a piece that changed fewer rows than it named). */
    private static List<String> byKeys(Handle h, String sql, Claim claim, List<String> keys) {
        List<String> missed = new ArrayList<>();
        for (List<String> piece : InLists.chunks(keys)) {
            int changed = update(h, sql.formatted(marks(piece.size())), st -> {
                st.setString(1, claim.kind());
                st.setString(2, claim.owner());
                st.setLong(3, claim.lease());
                bindKeys(st, 4, piece);
            });
            if (changed < piece.size()) {
                missed.addAll(piece);
            }
        }
        return missed.isEmpty() ? Collections.emptyList() : missed;
    }

    private static <T extends Outcome> void missedOf(int[] counts, List<T> rows, List<String> missed) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                missed.add(rows.get(i).key());
            }
        }
    }

    private static void fence(PreparedStatement st, int from, Claim claim, String key) throws SQLException {
        st.setString(from, claim.kind());
        st.setString(from + 1, claim.owner());
        st.setLong(from + 2, claim.lease());
        st.setString(from + 3, key);
    }

    private static void bindKeys(PreparedStatement st, int from, List<String> keys) throws SQLException {
        for (int i = 0; i < keys.size(); i++) {
            st.setString(from + i, keys.get(i));
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    @FunctionalInterface
    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static int update(Handle h, String sql, Binding binding) {
        try (PreparedStatement st = h.getConnection().prepareStatement(sql)) {
            binding.bind(st);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Completing scheduled jobs failed: " + sql + ": " + e.getMessage(), e);
        }
    }
}
