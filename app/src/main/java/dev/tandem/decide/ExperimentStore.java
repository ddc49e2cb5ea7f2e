package dev.tandem.decide;

import dev.tandem.store.InLists;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The SQL of experiment assignments: one row per experiment and profile, with its first exposure and first conversion. */
final class ExperimentStore {
    /** A profile's arm in one experiment; {@code convertedAt} is null until a goal event after {@code assignedAt}. */
    record Assignment(String experiment, long profileId, String arm, long assignedAt, Long convertedAt) {}

    /** Exposed and converted profiles of one arm. */
    record ArmCount(String arm, long exposed, long converted) {}

    private final Jdbi jdbi;

    ExperimentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Optional<String> arm(String experiment, long profileId) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT arm FROM experiment_assignments WHERE experiment = :e AND profile_id = :p")
                        .bind("e", experiment)
                        .bind("p", profileId)
                        // a row mapper rather than mapTo(String.class): Jdbi looks the mapper up by type on every call
                        .map((rs, ctx) -> rs.getString(1))
                        .findOne());
    }

    /** The assignments of these profiles, by profile. */
    Map<Long, List<Assignment>> of(Collection<Long> profiles) {
        Map<Long, List<Assignment>> found = new HashMap<>();
        jdbi.useHandle(h -> {
            for (List<Long> chunk : InLists.chunks(profiles)) {
                h.createQuery(
                                "SELECT experiment, profile_id, arm, assigned_at, converted_at FROM experiment_assignments WHERE profile_id IN (<ids>)")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> {
                            long converted = rs.getLong(5);
                            Assignment a = new Assignment(
                                    rs.getString(1),
                                    rs.getLong(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.wasNull() ? null : converted);
                            return found.computeIfAbsent(a.profileId(), p -> new java.util.ArrayList<>())
                                    .add(a);
                        })
                        .list();
            }
        });
        return found;
    }

    List<ArmCount> counts(String experiment) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT arm, COUNT(*), COUNT(converted_at) FROM experiment_assignments "
                                + "WHERE experiment = :e GROUP BY arm ORDER BY arm")
                        .bind("e", experiment)
                        .map((rs, ctx) -> new ArmCount(rs.getString(1), rs.getLong(2), rs.getLong(3)))
                        .list());
    }

    /** Replaces every row of the touched profiles with their current assignments. */
    static void write(Handle h, Collection<Long> touched, Map<Long, List<Assignment>> current) {
        if (touched.isEmpty()) {
            return;
        }
        dev.tandem.store.Batches.run(
                h, "DELETE FROM experiment_assignments WHERE profile_id = ?", touched, (st, p) -> st.setLong(1, p));
        List<Assignment> rows = touched.stream()
                .flatMap(p -> current.getOrDefault(p, List.of()).stream())
                .toList();
        dev.tandem.store.Batches.run(
                h,
                "INSERT INTO experiment_assignments (experiment, profile_id, arm, assigned_at, converted_at) "
                        + "VALUES (?, ?, ?, ?, ?)",
                rows,
                (st, a) -> {
                    st.setString(1, a.experiment());
                    st.setLong(2, a.profileId());
                    st.setString(3, a.arm());
                    st.setLong(4, a.assignedAt());
                    dev.tandem.store.Batches.setLong(st, 5, a.convertedAt());
                });
    }

    static void erase(Handle h, java.util.Collection<Long> profiles) {
        for (java.util.List<Long> chunk : dev.tandem.store.InLists.chunks(profiles)) {
            h.createUpdate("DELETE FROM experiment_assignments WHERE profile_id IN (<p>)")
                    .bindList("p", chunk)
                    .execute();
        }
    }

    static void reset(Handle h) {
        h.execute("DELETE FROM experiment_assignments");
    }
}
