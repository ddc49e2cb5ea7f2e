package dev.tandem.journey;

import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/** What the journey stage reads of the stored instances for a batch's entries, goals, exits and wake-ups, and its queries. */
final class InstancesNeeded {
    /** An instance's columns with {@code NULL} for its context (the entering event), which the checks never read and which is most of a row. */
    private static final String WITHOUT_CONTEXT =
            "SELECT " + JourneyStore.COLUMNS.replace("context", "NULL AS context") + " FROM journey_instances WHERE ";

    private InstancesNeeded() {}

    /**
     * The instances the batch's decisions need, by profile, and no more. Why: a profile's instances
     * grow with every journey it ever entered, and reading all of them for every event was the
     * largest part of the checks. A {@code once} or keyed entry needs none: the table's unique key
     * refuses an instance that exists (the insert does nothing). An {@code always} entry needs the
     * journey's instances in flight; an {@code after} entry all of the profile's, finished ones
     * too, for the last entry's time. An exit or a {@code wait_for} needs the instances in flight of
     * the profiles whose events or memberships may move them ({@code watched}). A goal reached
     * ({@code reachedGoals}) needs the profile's instances not converted yet, into {@code unconverted}.
     */
    static Map<Long, List<Instance>> read(
            JourneyStore store,
            List<Candidate> candidates,
            Set<Long> watched,
            Set<Long> reachedGoals,
            List<Goals.Unconverted> unconverted) {
        Set<Long> whole = new HashSet<>();
        Set<Long> again = new HashSet<>();
        Set<String> againJourneys = new HashSet<>();
        for (Candidate c : candidates) {
            JourneyDefinition.Reentry reentry =
                    c.journey().journey().definition().reentry();
            if (c.key() != null || reentry.rule().equals("once")) {
                continue;
            }
            if (reentry.rule().equals("after")) {
                whole.add(c.profile());
            } else {
                again.add(c.profile());
                againJourneys.add(c.journey().journey().key());
            }
        }
        Set<Long> inFlight = new HashSet<>(watched);
        inFlight.removeAll(whole);
        again.removeAll(whole);
        again.removeAll(inFlight);
        Map<Long, List<Instance>> existing = new HashMap<>();
        Consumer<Instance> add = i ->
                existing.computeIfAbsent(i.profileId(), p -> new ArrayList<>()).add(i);
        store.jdbi().useHandle(h -> {
            if (!whole.isEmpty()) {
                ofProfiles(h, whole).forEach(add);
            }
            if (!inFlight.isEmpty()) {
                inFlight(h, inFlight, List.of()).forEach(add);
            }
            if (!again.isEmpty()) {
                inFlight(h, again, List.copyOf(againJourneys)).forEach(add);
            }
            if (!reachedGoals.isEmpty()) {
                unconverted.addAll(unconverted(h, reachedGoals));
            }
        });
        return existing;
    }

    /**
     * Instances of these profiles (any journey), finished ones too, for the re-entry rule {@code after}
     * (and a scheduled pass's slice); without their context.
     */
    static List<Instance> ofProfiles(Handle h, Collection<Long> profiles) {
        List<Instance> out = new ArrayList<>();
        InLists.select(h, WITHOUT_CONTEXT + "profile_id IN (<ids>)", profiles, JourneyStore::instance, out::add);
        return out;
    }

    /**
     * The instances in flight (new, active or waiting) of these profiles, of these journeys only
     * unless {@code journeys} is empty; without their context.
     */
    static List<Instance> inFlight(Handle h, Collection<Long> profiles, Collection<String> journeys) {
        List<Instance> out = new ArrayList<>();
        String only = journeys.isEmpty() ? "" : "journey IN (" + InLists.placeholders(journeys.size()) + ") AND ";
        InLists.select(
                h,
                WITHOUT_CONTEXT + only + "status IN ('new', 'active', 'waiting') AND profile_id IN (<ids>)",
                profiles,
                JourneyStore::instance,
                out::add,
                journeys.toArray());
        return out;
    }

    /**
     * The instances of these profiles whose goal is not reached yet: id, journey, profile and entry
     * time only, for the goal checks of a batch.
     */
    static List<Goals.Unconverted> unconverted(Handle h, Collection<Long> profiles) {
        List<Goals.Unconverted> out = new ArrayList<>();
        InLists.select(
                h,
                "SELECT id, journey, profile_id, entered_at FROM journey_instances "
                        + "WHERE converted_at IS NULL AND profile_id IN (<ids>)",
                profiles,
                rs -> new Goals.Unconverted(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)),
                out::add);
        return out;
    }
}
