package dev.tandem.journey;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Instances entering in one write, not stored yet, in the order admitted: by {@link Admission#id},
 * and by journey and profile, so that a re-entry check is one lookup however many enter.
 */
final class Entering {
    private final Map<String, Instance> byId = new LinkedHashMap<>();
    private final Set<String> pairs = new HashSet<>();

    void add(Instance i) {
        byId.put(Admission.id(i.journey(), i.profileId(), i.entryKey()), i);
        pairs.add(pair(i.journey(), i.profileId()));
    }

    boolean contains(String id) {
        return byId.containsKey(id);
    }

    /** Whether an instance of this journey for this profile enters in this write. */
    boolean enters(String journey, long profile) {
        return pairs.contains(pair(journey, profile));
    }

    /** Replaces instances in place, keeping the same journey, profile and entry key. */
    void replaceAll(UnaryOperator<Instance> change) {
        byId.replaceAll((id, i) -> change.apply(i));
    }

    List<Instance> all() {
        return List.copyOf(byId.values());
    }

    int size() {
        return byId.size();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    void clear() {
        byId.clear();
        pairs.clear();
    }

    static String pair(String journey, long profile) {
        return journey + "|" + profile;
    }
}
