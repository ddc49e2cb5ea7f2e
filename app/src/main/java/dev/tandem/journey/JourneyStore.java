package dev.tandem.journey;

import dev.tandem.store.Batches;
import dev.tandem.store.Database;
import dev.tandem.store.InLists;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The journey tables' SQL: versions, pause states, instances, transitions and cap counts. */
final class JourneyStore {
    static final String COLUMNS = "id, journey, profile_id, entry_key, version, step, status, holdout, "
            + "entered_at, due_at, context, converted_at, exit_reason, entry_seq";

    private final Database database;
    private final Jdbi jdbi;

    JourneyStore(Database database) {
        this.database = database;
        this.jdbi = database.jdbi();
    }

    Jdbi jdbi() {
        return jdbi;
    }

    void inTransaction(org.jdbi.v3.core.HandleConsumer<RuntimeException> work) {
        jdbi.useTransaction(work);
    }

    /**
     * The version of this declaration: the latest stored when unchanged, else one more (at least
     * {@code declared}). One insert that does nothing when the latest is this declaration, then a
     * read: writing first, so two starts (or a start and a change) never hold a read lock each and
     * wait for the other's upgrade (SQLite's BUSY); on PostgreSQL the same version taken twice is a
     * conflict that does nothing.
     */
    int version(String journey, String declaration, int declared, long now) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO journey_versions (journey, version, declaration, created_at) "
                            + "SELECT :j, CASE WHEN t.top + 1 > :declared THEN t.top + 1 ELSE :declared END, :d, :at "
                            + "FROM (SELECT COALESCE(MAX(version), 0) AS top FROM journey_versions WHERE journey = :j) t "
                            + "WHERE NOT EXISTS (SELECT 1 FROM journey_versions l WHERE l.journey = :j "
                            + "AND l.version = t.top AND l.declaration = :d) "
                            + "ON CONFLICT (journey, version) DO NOTHING")
                    .bind("j", journey)
                    .bind("declared", declared)
                    .bind("d", declaration)
                    .bind("at", now)
                    .execute();
            return h.createQuery("SELECT MAX(version) FROM journey_versions WHERE journey = :j AND declaration = :d")
                    .bind("j", journey)
                    .bind("d", declaration)
                    .mapTo(Integer.class)
                    .one();
        });
    }

    /** The journeys made through changes: declarations by key. */
    Map<String, String> made() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT journey, declaration FROM journey_declarations ORDER BY journey")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** Keeps a journey made through a change (null: removes it). */
    void make(String journey, String declaration, long now) {
        jdbi.useHandle(h -> {
            if (declaration == null) {
                h.execute("DELETE FROM journey_declarations WHERE journey = ?", journey);
                return;
            }
            h.createUpdate("INSERT INTO journey_declarations (journey, declaration, updated_at) VALUES (:j, :d, :at) "
                            + "ON CONFLICT (journey) DO UPDATE SET declaration = excluded.declaration, "
                            + "updated_at = excluded.updated_at")
                    .bind("j", journey)
                    .bind("d", declaration)
                    .bind("at", now)
                    .execute();
        });
    }

    /** How many versions are stored, of every journey. */
    long versionCount() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM journey_versions")
                .mapTo(Long.class)
                .one());
    }

    /** Every stored version: journey and version. */
    List<Map.Entry<String, Integer>> versions() {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT journey, version FROM journey_versions ORDER BY journey, version")
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                        .list());
    }

    /** Every stored declaration of a journey, by version. */
    Map<Integer, String> declarations(String journey) {
        Map<Integer, String> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT version, declaration FROM journey_versions WHERE journey = :j")
                .bind("j", journey)
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    Set<String> paused() {
        return jdbi.withHandle(h -> Set.copyOf(h.createQuery("SELECT journey FROM journey_states WHERE paused = 1")
                .mapTo(String.class)
                .list()));
    }

    void pause(String journey, boolean paused, long now) {
        jdbi.useHandle(h -> h.createUpdate(
                        "INSERT INTO journey_states (journey, paused, paused_at) VALUES (:j, :p, :at) "
                                + "ON CONFLICT (journey) DO UPDATE SET paused = excluded.paused, paused_at = excluded.paused_at")
                .bind("j", journey)
                .bind("p", paused ? 1 : 0)
                .bind("at", paused ? now : null)
                .execute());
    }

    List<Instance> ofProfile(String journey, long profile) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM journey_instances WHERE journey = :j AND profile_id = :p ORDER BY id")
                .bind("j", journey)
                .bind("p", profile)
                .map((rs, ctx) -> instance(rs))
                .list());
    }

    /** Instances due by {@code now}, oldest timer first, skipping paused journeys. */
    List<Instance> due(long now, Set<String> paused, int limit) {
        return jdbi.withHandle(h -> {
            String skip = paused.isEmpty() ? "" : " AND journey NOT IN (<paused>)";
            var q = h.createQuery(
                            "SELECT " + COLUMNS + " FROM journey_instances WHERE due_at IS NOT NULL AND due_at <= :now"
                                    + skip + " ORDER BY due_at LIMIT :n")
                    .bind("now", now)
                    .bind("n", limit);
            if (!paused.isEmpty()) {
                q.bindList("paused", List.copyOf(paused));
            }
            return q.map((rs, ctx) -> instance(rs)).list();
        });
    }

    /** The earliest timer of a journey not paused; null when none waits. */
    Long nextDue(Set<String> paused) {
        return jdbi.withHandle(h -> {
            String skip = paused.isEmpty() ? "" : " AND journey NOT IN (<paused>)";
            var q = h.createQuery("SELECT MIN(due_at) FROM journey_instances WHERE due_at IS NOT NULL" + skip);
            if (!paused.isEmpty()) {
                q.bindList("paused", List.copyOf(paused));
            }
            return q.mapTo(Long.class).findOne().orElse(null);
        });
    }

    void insert(Handle h, List<Instance> instances) {
        if (instances.isEmpty()) {
            return;
        }
        Batches.run(
                h,
                "INSERT INTO journey_instances (journey, profile_id, entry_key, version, step, status, holdout, "
                        + "entered_at, due_at, entry_seq, converted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (profile_id, journey, entry_key) DO NOTHING",
                instances,
                (st, i) -> {
                    st.setString(1, i.journey());
                    st.setLong(2, i.profileId());
                    st.setString(3, i.entryKey());
                    st.setInt(4, i.version());
                    st.setString(5, i.step());
                    st.setString(6, i.status());
                    st.setInt(7, i.holdout() ? 1 : 0);
                    st.setLong(8, i.enteredAt());
                    Batches.setLong(st, 9, i.dueAt());
                    Batches.setLong(st, 10, i.entrySeq()); // a reference: the event stays in the inbox alone
                    Batches.setLong(st, 11, i.convertedAt());
                });
    }

    /** Moves instances on: step, status, timer and exit reason, guarded by the step they were read at (exactly once). */
    int[] update(Handle h, List<Instance> moved, List<String> fromSteps) {
        return Batches.run(
                h,
                "UPDATE journey_instances SET step = ?, status = ?, due_at = ?, exit_reason = ? "
                        + "WHERE id = ? AND step = ? AND status IN ('new', 'active', 'waiting')",
                java.util.stream.IntStream.range(0, moved.size()).boxed().toList(),
                (st, k) -> {
                    Instance i = moved.get(k);
                    st.setString(1, i.step());
                    st.setString(2, i.status());
                    Batches.setLong(st, 3, i.dueAt());
                    st.setString(4, i.exitReason());
                    st.setLong(5, i.id());
                    st.setString(6, fromSteps.get(k));
                });
    }

    record Transition(
            long instance, String journey, int version, String step, String outcome, long at, String detail) {}

    void record(Handle h, List<Transition> transitions) {
        if (transitions.isEmpty()) {
            return;
        }
        Batches.run(
                h,
                "INSERT INTO journey_transitions (instance_id, journey, version, step, outcome, at, detail) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                transitions,
                (st, t) -> {
                    st.setLong(1, t.instance());
                    st.setString(2, t.journey());
                    st.setInt(3, t.version());
                    st.setString(4, t.step());
                    st.setString(5, t.outcome());
                    st.setLong(6, t.at());
                    st.setString(7, t.detail());
                });
    }

    /** Sends counted per "profile|channel|day" for these profiles. */
    Map<String, Integer> capCounts(Handle h, Collection<Long> profiles) {
        Map<String, Integer> out = new HashMap<>();
        for (List<Long> chunk : InLists.chunks(profiles)) {
            h.createQuery("SELECT profile_id, channel, day, sends FROM journey_caps WHERE profile_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .map((rs, ctx) ->
                            Map.entry(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3), rs.getInt(4)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Counts one send; returns the sends of that profile, channel and day now, this one included (read under the row's write lock). */
    int countSend(Handle h, long profile, String channel, String day) {
        return h.createQuery("INSERT INTO journey_caps (profile_id, channel, day, sends) VALUES (:p, :c, :d, 1) "
                        + "ON CONFLICT (profile_id, channel, day) DO UPDATE SET sends = journey_caps.sends + 1 "
                        + "RETURNING sends")
                .bind("p", profile)
                .bind("c", channel)
                .bind("d", day)
                .mapTo(Integer.class)
                .one();
    }

    /** A trait update decided, kept until the identify carrying it is stored (written in the commit that decided it). */
    record TraitUpdate(String messageId, long profile, String trait, String value) {}

    void keepTraitUpdates(Handle h, List<TraitUpdate> updates, long now) {
        if (updates.isEmpty()) {
            return;
        }
        var insert =
                h.prepareBatch("INSERT INTO journey_trait_updates (message_id, profile_id, trait, value, created_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING");
        for (TraitUpdate u : updates) {
            insert.add(u.messageId(), u.profile(), u.trait(), u.value(), now);
        }
        insert.execute();
    }

    /** Trait updates not yet confirmed stored, oldest first: what a crash between the commit and the emission left. */
    List<TraitUpdate> traitUpdates(int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT message_id, profile_id, trait, value FROM journey_trait_updates "
                                + "ORDER BY created_at, message_id LIMIT :n")
                .bind("n", limit)
                .map((rs, ctx) -> new TraitUpdate(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                .list());
    }

    void traitUpdateStored(String messageId) {
        jdbi.useHandle(h -> h.execute("DELETE FROM journey_trait_updates WHERE message_id = ?", messageId));
    }

    /** Marks the goal reached for these instances, those not converted yet. */
    void converted(Handle h, Collection<Long> instances, long at) {
        InLists.update(
                h,
                "UPDATE journey_instances SET converted_at = ? WHERE id IN (<ids>) AND converted_at IS NULL",
                instances,
                at);
    }

    /** Counts per step and outcome of one version, with the instances that reached each step as {@code entered}. */
    StepTally tally(String journey, int version) {
        StepTally tally = new StepTally();
        jdbi.useHandle(h -> {
            h.createQuery("SELECT step, outcome, COUNT(*) FROM journey_transitions WHERE journey = :j AND version = :v "
                            + "GROUP BY step, outcome")
                    .bind("j", journey)
                    .bind("v", version)
                    .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)})
                    .forEach(r -> {
                        String outcome = switch ((String) r[1]) {
                            case "timeout", "arrived", "updated" -> "advanced";
                            default -> (String) r[1];
                        };
                        if (!outcome.equals("waiting") && !outcome.equals("entered")) {
                            tally.put((String) r[0], outcome, (Long) r[2]);
                        }
                        if (outcome.equals("denied")) {
                            tally.put((String) r[0], "exited", (Long) r[2]);
                        }
                    });
            h.createQuery("SELECT step, COUNT(DISTINCT instance_id) FROM journey_transitions WHERE journey = :j "
                            + "AND version = :v GROUP BY step")
                    .bind("j", journey)
                    .bind("v", version)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> tally.put(e.getKey(), "entered", e.getValue()));
            h.createQuery("SELECT step, COUNT(*) FROM journey_instances WHERE journey = :j AND version = :v "
                            + "AND status = 'waiting' GROUP BY step")
                    .bind("j", journey)
                    .bind("v", version)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> tally.put(e.getKey(), "waiting", e.getValue()));
        });
        return tally;
    }

    /** Entered and converted, held out (1) and not (0). */
    long[][] conversion(String journey) {
        long[][] out = new long[2][2];
        jdbi.useHandle(h -> h.createQuery("SELECT holdout, COUNT(*), COUNT(converted_at) FROM journey_instances "
                        + "WHERE journey = :j GROUP BY holdout")
                .bind("j", journey)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                .forEach(r -> out[(int) r[0]] = new long[] {r[1], r[2]}));
        return out;
    }

    void erase(Handle h, Collection<Long> profiles) {
        for (List<Long> chunk : InLists.chunks(profiles)) {
            h.createUpdate("DELETE FROM journey_transitions WHERE instance_id IN "
                            + "(SELECT id FROM journey_instances WHERE profile_id IN (<ids>))")
                    .bindList("ids", chunk)
                    .execute();
            h.createUpdate("DELETE FROM journey_instances WHERE profile_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .execute();
            h.createUpdate("DELETE FROM journey_caps WHERE profile_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .execute();
            h.createUpdate("DELETE FROM journey_trait_updates WHERE profile_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .execute();
        }
    }

    static Instance instance(ResultSet rs) throws SQLException {
        long due = rs.getLong(10);
        Long dueAt = rs.wasNull() ? null : due;
        long conv = rs.getLong(12);
        Long convertedAt = rs.wasNull() ? null : conv;
        long seq = rs.getLong(14);
        Long entrySeq = rs.wasNull() ? null : seq;
        return new Instance(
                rs.getLong(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8) == 1,
                rs.getLong(9),
                dueAt,
                rs.getString(11),
                convertedAt,
                rs.getString(13),
                entrySeq);
    }
}
