package dev.tandem.journey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** What the journey stage reads of the stored instances for a batch's entries, goals, exits and wake-ups. */
final class InstancesNeeded {
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
            List<Instance> unconverted) {
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
                store.ofProfiles(h, whole).forEach(add);
            }
            if (!inFlight.isEmpty()) {
                store.inFlight(h, inFlight, List.of()).forEach(add);
            }
            if (!again.isEmpty()) {
                store.inFlight(h, again, List.copyOf(againJourneys)).forEach(add);
            }
            if (!reachedGoals.isEmpty()) {
                unconverted.addAll(store.unconverted(h, reachedGoals));
            }
        });
        return existing;
    }
}
