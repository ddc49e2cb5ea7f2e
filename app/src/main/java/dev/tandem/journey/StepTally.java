package dev.tandem.journey;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts per step, as stats and the dry run show them: entered (instances that reached it),
 * waiting (there now), advanced (went on past it), exited (left the journey there, a consent
 * denial included), sent, failed, capped and held (a holdout's send).
 */
final class StepTally {
    static final List<String> OUTCOMES =
            List.of("entered", "waiting", "advanced", "exited", "sent", "failed", "capped", "held", "denied");

    private final Map<String, Map<String, Long>> counts = new HashMap<>();
    private final Map<String, Set<Long>> reached = new HashMap<>();

    /** Adds one transition of a dry run (live stats are counted by the store). */
    void add(JourneyStore.Transition t) {
        reached.computeIfAbsent(t.step(), s -> new HashSet<>()).add(t.instance());
        String outcome = switch (t.outcome()) {
            case "timeout", "arrived", "updated" -> "advanced";
            default -> t.outcome();
        };
        if (t.outcome().equals("waiting") || t.outcome().equals("entered")) {
            return;
        }
        counts.computeIfAbsent(t.step(), s -> new HashMap<>()).merge(outcome, 1L, Long::sum);
        if (outcome.equals("denied")) {
            counts.get(t.step()).merge("exited", 1L, Long::sum);
        }
    }

    void put(String step, String outcome, long n) {
        counts.computeIfAbsent(step, s -> new HashMap<>()).merge(outcome, n, Long::sum);
    }

    long reached(String step) {
        Set<Long> s = reached.get(step);
        return s == null ? counts.getOrDefault(step, Map.of()).getOrDefault("entered", 0L) : s.size();
    }

    long get(String step, String outcome) {
        return counts.getOrDefault(step, Map.of()).getOrDefault(outcome, 0L);
    }

    /** The steps of {@code journey} in declaration order with their counts. */
    ArrayNode render(Journey journey, ArrayNode into) {
        for (String[] p : journey.paths()) {
            ObjectNode o = into.addObject().put("step", p[0]).put("kind", p[1]);
            o.put("entered", reached(p[0]));
            for (String outcome : OUTCOMES.subList(1, OUTCOMES.size())) {
                o.put(outcome, get(p[0], outcome));
            }
        }
        return into;
    }
}
