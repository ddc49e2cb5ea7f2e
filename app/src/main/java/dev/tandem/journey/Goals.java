package dev.tandem.journey;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The goals a batch's events reached, and the instances they convert: those stored that entered
 * within the goal's window (up to now) and are not converted yet, in one update per journey in the
 * batch's transaction (not one per goal event, and without reading the instances); and those
 * entering in the same batch, stored converted.
 */
final class Goals {
    /** By journey whose goal event arrived: the start of its window, and the profiles that reached it. */
    private final Map<String, Long> since = new HashMap<>();

    private final Map<String, Set<Long>> profiles = new HashMap<>();
    private long now;

    void reached(long profile, String journey, long windowStart, long now) {
        this.now = now;
        since.putIfAbsent(journey, windowStart);
        profiles.computeIfAbsent(journey, j -> new HashSet<>()).add(profile);
    }

    boolean isEmpty() {
        return since.isEmpty();
    }

    /** Marks the instances entering in this batch whose goal the batch reached. */
    void convert(Entering entering) {
        if (since.isEmpty()) {
            return;
        }
        entering.replaceAll(i -> {
            Set<Long> reachedBy = profiles.get(i.journey());
            return reachedBy == null || !reachedBy.contains(i.profileId()) ? i : i.convertedAt(i.enteredAt());
        });
    }

    /** Converts the stored instances, in the batch's transaction; how many. */
    int write(JourneyStore store, Handle transaction) {
        int converted = 0;
        for (var e : profiles.entrySet()) {
            converted += store.converted(transaction, e.getKey(), e.getValue(), since.get(e.getKey()), now);
        }
        return converted;
    }

    void clear() {
        since.clear();
        profiles.clear();
    }
}
