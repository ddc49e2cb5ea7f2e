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

    /**
     * Adds the transitions of one instance's walk in a dry run (live stats are counted by the
     * store): an instance reached each step it has a transition at, counted once however many it
     * has there. Counted per walk, so a dry run over a million instances keeps a count per step,
     * not a set of instance ids.
     */
    void addWalk(List<JourneyStore.Transition> walk) {
        Set<String> reached = new HashSet<>(4);
        for (JourneyStore.Transition t : walk) {
            if (reached.add(t.step())) {
                put(t.step(), "entered", 1);
            }
            String outcome = switch (t.outcome()) {
                case "timeout", "arrived", "updated" -> "advanced";
                default -> t.outcome();
            };
            if (outcome.equals("waiting") || outcome.equals("entered")) {
                continue;
            }
            put(t.step(), outcome, 1);
            if (outcome.equals("denied")) {
                put(t.step(), "exited", 1);
            }
        }
    }

    void put(String step, String outcome, long n) {
        counts.computeIfAbsent(step, s -> new HashMap<>()).merge(outcome, n, Long::sum);
    }

    long get(String step, String outcome) {
        return counts.getOrDefault(step, Map.of()).getOrDefault(outcome, 0L);
    }

    /** The steps of {@code journey} in declaration order with their counts. */
    ArrayNode render(Journey journey, ArrayNode into) {
        for (String[] p : journey.paths()) {
            ObjectNode o = into.addObject().put("step", p[0]).put("kind", p[1]);
            o.put("entered", get(p[0], "entered"));
            for (String outcome : OUTCOMES.subList(1, OUTCOMES.size())) {
                o.put(outcome, get(p[0], outcome));
            }
        }
        return into;
    }
}
