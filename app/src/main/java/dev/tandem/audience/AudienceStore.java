package dev.tandem.audience;

import dev.tandem.store.Batches;
import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The SQL of memberships, audience events and size history. */
final class AudienceStore {
    private static final long HOUR = 3_600_000L;

    private final Jdbi jdbi;

    AudienceStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The audience ids of each profile; profiles in no audience map to an empty set. */
    Map<Long, Set<Long>> memberships(Collection<Long> profiles) {
        Map<Long, Set<Long>> found = new HashMap<>();
        profiles.forEach(p -> found.put(p, new HashSet<>()));
        jdbi.useHandle(h -> {
            for (List<Long> chunk : InLists.chunks(profiles)) {
                h.createQuery("SELECT profile_id, audience_id FROM audience_members WHERE profile_id IN (<ids>)")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> found.get(rs.getLong(1)).add(rs.getLong(2)))
                        .list();
            }
        });
        return found;
    }

    /** The members of one audience among profiles {@code from..to}. */
    Set<Long> members(long audienceId, long from, long to) {
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery(
                        "SELECT profile_id FROM audience_members WHERE audience_id = :a AND profile_id BETWEEN :from AND :to")
                .bind("a", audienceId)
                .bind("from", from)
                .bind("to", to)
                .mapTo(Long.class)
                .list()));
    }

    /** A member: the profile and when it entered. */
    record Member(long profileId, long enteredAt) {}

    /** Up to {@code limit} members with profile ids above {@code after}, by profile id. */
    List<Member> members(long audienceId, long after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT profile_id, entered_at FROM audience_members "
                        + "WHERE audience_id = :a AND profile_id > :after ORDER BY profile_id LIMIT :limit")
                .bind("a", audienceId)
                .bind("after", after)
                .bind("limit", limit)
                .map((rs, ctx) -> new Member(rs.getLong(1), rs.getLong(2)))
                .list());
    }

    /** The audiences a profile is in, with when it entered each: audience id to time. */
    Map<Long, Long> audiencesOf(long profileId) {
        Map<Long, Long> found = new java.util.LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT audience_id, entered_at FROM audience_members WHERE profile_id = :p ORDER BY audience_id")
                .bind("p", profileId)
                .map((rs, ctx) -> found.put(rs.getLong(1), rs.getLong(2)))
                .list());
        return found;
    }

    /** Entered and exited events of one audience with ids above {@code after}, oldest first. */
    List<AudienceEvent> events(long audienceId, long after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, profile_id, entered, at, seq FROM audience_events "
                        + "WHERE audience_id = :a AND id > :after ORDER BY id LIMIT :limit")
                .bind("a", audienceId)
                .bind("after", after)
                .bind("limit", limit)
                .map((rs, ctx) -> new AudienceEvent(
                        rs.getLong(1), audienceId, rs.getLong(2), rs.getInt(3) == 1, rs.getLong(4), rs.getLong(5)))
                .list());
    }

    /** The size at the end of each hour that saw a change, oldest first: hour start to size. */
    Map<Long, Long> history(long audienceId) {
        Map<Long, Long> found = new java.util.LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT hour, size FROM audience_sizes WHERE audience_id = :a ORDER BY hour")
                .bind("a", audienceId)
                .map((rs, ctx) -> found.put(rs.getLong(1), rs.getLong(2)))
                .list());
        return found;
    }

    /** Stores the changes, each as a membership row and an event, and moves the sizes and their history. */
    static void write(Handle h, List<MembershipChange> changes, long now) {
        if (changes.isEmpty()) {
            return;
        }
        List<MembershipChange> entered = new ArrayList<>();
        List<MembershipChange> exited = new ArrayList<>();
        Map<Long, Long> delta = new HashMap<>();
        for (MembershipChange c : changes) {
            (c.entered() ? entered : exited).add(c);
            delta.merge(c.audienceId(), c.entered() ? 1L : -1L, Long::sum);
        }
        Batches.run(h, "DELETE FROM audience_members WHERE audience_id = ? AND profile_id = ?", exited, (st, c) -> {
            st.setLong(1, c.audienceId());
            st.setLong(2, c.profileId());
        });
        Batches.run(
                h,
                "INSERT INTO audience_members (audience_id, profile_id, entered_at) VALUES (?, ?, ?)",
                entered,
                (st, c) -> {
                    st.setLong(1, c.audienceId());
                    st.setLong(2, c.profileId());
                    st.setLong(3, c.at());
                });
        Batches.run(
                h,
                "INSERT INTO audience_events (audience_id, profile_id, entered, at, seq) VALUES (?, ?, ?, ?, ?)",
                changes,
                (st, c) -> {
                    st.setLong(1, c.audienceId());
                    st.setLong(2, c.profileId());
                    st.setInt(3, c.entered() ? 1 : 0);
                    st.setLong(4, c.at());
                    st.setLong(5, c.seq());
                });
        Batches.run(h, "UPDATE audiences SET size = size + ? WHERE id = ?", delta.entrySet(), (st, e) -> {
            st.setLong(1, e.getValue());
            st.setLong(2, e.getKey());
        });
        long hour = Math.floorDiv(now, HOUR) * HOUR;
        Batches.run(
                h,
                "INSERT INTO audience_sizes (audience_id, hour, size) SELECT id, ?, size FROM audiences WHERE id = ? "
                        + "ON CONFLICT (audience_id, hour) DO UPDATE SET size = excluded.size",
                delta.keySet(),
                (st, id) -> {
                    st.setLong(1, hour);
                    st.setLong(2, id);
                });
    }

    /** Forgets a deleted audience: its members, events and history, then the audience itself. */
    static void purge(Handle h, long audienceId) {
        for (String table : List.of("audience_members", "audience_events", "audience_sizes")) {
            h.createUpdate("DELETE FROM " + table + " WHERE audience_id = :a")
                    .bind("a", audienceId)
                    .execute();
        }
        h.createUpdate("DELETE FROM audiences WHERE id = :a")
                .bind("a", audienceId)
                .execute();
    }

    /**
     * For a replay: every membership, event and size goes. No background computation is needed:
     * the replay rebuilds every profile from its first event, and a new profile is evaluated against every audience.
     */
    static void erase(Handle h, java.util.Collection<Long> profiles) {
        for (java.util.List<Long> chunk : dev.tandem.store.InLists.chunks(profiles)) {
            h.createUpdate("DELETE FROM audience_members WHERE profile_id IN (<p>)")
                    .bindList("p", chunk)
                    .execute();
            h.createUpdate("DELETE FROM audience_events WHERE profile_id IN (<p>)")
                    .bindList("p", chunk)
                    .execute();
        }
        h.execute(
                "UPDATE audiences SET size = (SELECT COUNT(*) FROM audience_members m WHERE m.audience_id = audiences.id)");
    }

    static void reset(Handle h) {
        h.execute("DELETE FROM audience_members");
        h.execute("DELETE FROM audience_events");
        h.execute("DELETE FROM audience_sizes");
        h.createUpdate("UPDATE audiences SET size = 0, scanned_to = 0, status = :ready WHERE status <> :deleted")
                .bind("ready", Audience.Status.READY.wireName())
                .bind("deleted", Audience.Status.DELETED.wireName())
                .execute();
    }
}
