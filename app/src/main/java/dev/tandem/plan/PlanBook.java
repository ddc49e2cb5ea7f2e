package dev.tandem.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.EventPlans;
import dev.tandem.collect.EventType;
import dev.tandem.collect.Source;
import java.util.HashMap;
import java.util.Map;

/**
 * The plans in force, by source name, as collection consults them: an immutable map replaced on
 * each change, so a request thread takes no lock and sees one plan or the next, never half of one.
 */
final class PlanBook implements EventPlans {
    private volatile Map<String, CompiledPlan> bySource = Map.of();

    @Override
    public Blocked check(Source source, EventType type, ObjectNode event) {
        CompiledPlan plan = bySource.get(source.name());
        return plan == null ? null : plan.check(type, event);
    }

    /** Puts these plans in force, replacing all others. */
    void publish(Iterable<CompiledPlan> plans) {
        Map<String, CompiledPlan> next = new HashMap<>();
        for (CompiledPlan plan : plans) {
            for (String source : plan.declaration().sources()) {
                next.put(source, plan);
            }
        }
        bySource = Map.copyOf(next);
    }
}
