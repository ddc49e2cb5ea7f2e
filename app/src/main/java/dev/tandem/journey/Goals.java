package dev.tandem.journey;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The goals a batch's events reached, and the instances they convert: those stored that entered
 * within the goal's window (up to now) and are not converted yet, found among the profile's
 * unconverted instances (read on the checks' thread, a few columns each; one update by id for the
 * batch, not one per goal event); and those entering in the same batch, stored converted.
 */
final class Goals {
    /** A stored instance whose goal is not reached yet: what a goal check reads of it. */
    record Unconverted(long id, String journey, long profileId, long enteredAt) {}

    /** By profile, the journeys whose goal event arrived, with the start of their window. */
    private final Map<Long, Map<String, Long>> reached = new HashMap<>();

    private final Set<Long> converting = new HashSet<>();

    void reached(long profile, String journey, long since) {
        reached.computeIfAbsent(profile, p -> new HashMap<>()).putIfAbsent(journey, since);
    }

    boolean isEmpty() {
        return reached.isEmpty();
    }

    Set<Long> profiles() {
        return reached.keySet();
    }

    /** Finds the stored instances converted among {@code unconverted}, and marks those entering. */
    void convert(List<Unconverted> unconverted, Entering entering, long now) {
        if (reached.isEmpty()) {
            return;
        }
        for (Unconverted i : unconverted) {
            Map<String, Long> journeys = reached.get(i.profileId());
            Long since = journeys == null ? null : journeys.get(i.journey());
            if (since != null && i.enteredAt() >= since && i.enteredAt() <= now) {
                converting.add(i.id());
            }
        }
        entering.replaceAll(i -> {
            Map<String, Long> journeys = reached.get(i.profileId());
            return journeys == null || !journeys.containsKey(i.journey()) ? i : i.convertedAt(i.enteredAt());
        });
    }

    /** The ids of the stored instances to mark converted. */
    Set<Long> converting() {
        return converting;
    }

    void clear() {
        reached.clear();
        converting.clear();
    }
}
