package dev.tandem.bench;

import dev.tandem.schedule.Planned;
import dev.tandem.store.Database;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The firing baseline: the same rows deleted, oldest due first, {@code batch} keys per DELETE and
 * one transaction per statement, with the keys already in hand. A scheduler that claims, runs and
 * deletes cannot fire faster than the store deletes.
 */
final class PlainDelete {
    private PlainDelete() {}

    static void run(Database db, String kind, List<Planned> planned, int batch) {
        List<String> keys = planned.stream()
                .sorted(Comparator.comparing(Planned::dueAt))
                .map(Planned::key)
                .toList();
        for (int from = 0; from < keys.size(); from += batch) {
            List<String> piece = keys.subList(from, Math.min(keys.size(), from + batch));
            String sql = "DELETE FROM scheduled_jobs WHERE kind = ? AND job_key IN ("
                    + String.join(", ", Collections.nCopies(piece.size(), "?")) + ")";
            db.jdbi().useTransaction(h -> {
                try (PreparedStatement st = h.getConnection().prepareStatement(sql)) {
                    st.setString(1, kind);
                    for (int i = 0; i < piece.size(); i++) {
                        st.setString(i + 2, piece.get(i));
                    }
                    if (st.executeUpdate() != piece.size()) {
                        throw new IllegalStateException("the baseline deleted fewer rows than it named");
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
