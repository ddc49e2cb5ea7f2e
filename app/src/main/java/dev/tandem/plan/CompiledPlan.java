package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.tandem.collect.EventPlans;
import dev.tandem.collect.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan ready for the collection path: each schema compiled once, with the shape of its declared
 * properties and the plan's counters. {@link #check} is all a request thread runs: a map lookup by
 * event name, a walk of the event's top-level properties, and one validation.
 */
final class CompiledPlan {
    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    private record Compiled(Subject subject, Schema schema, Shape shape) {}

    private final PlanDeclaration declaration;
    private final Map<String, Compiled> events = new HashMap<>();
    private final Map<EventType, Compiled> calls = new EnumMap<>(EventType.class);
    private final Violations violations;
    private final Counter checked;
    private final Counter blocked;
    private final Counter omitted;
    private final Map<Kind, Counter> kinds = new EnumMap<>(Kind.class);

    CompiledPlan(PlanDeclaration declaration, Schemas schemas, Violations violations, MeterRegistry meters) {
        this.declaration = declaration;
        this.violations = violations;
        declaration.schemas().forEach((subject, schema) -> {
            Compiled compiled = new Compiled(subject, schemas.compile(schema), Shape.of(schema));
            if (subject.event() != null) {
                events.put(subject.event(), compiled);
            } else {
                calls.put(subject.type(), compiled);
            }
        });
        String key = declaration.key();
        checked = Counter.builder("tandem.plan.checked")
                .description("Events checked against a tracking plan")
                .tag("plan", key)
                .register(meters);
        blocked = Counter.builder("tandem.plan.blocked")
                .description("Events a tracking plan in block mode sent to the quarantine")
                .tag("plan", key)
                .register(meters);
        omitted = Counter.builder("tandem.plan.omitted")
                .description("Unplanned properties and traits a tracking plan in omit mode removed")
                .tag("plan", key)
                .register(meters);
        for (Kind kind : Kind.values()) {
            kinds.put(
                    kind,
                    Counter.builder("tandem.plan.violations")
                            .description("Tracking-plan violations, by kind")
                            .tag("plan", key)
                            .tag("kind", kind.wireName())
                            .register(meters));
        }
    }

    PlanDeclaration declaration() {
        return declaration;
    }

    EventPlans.Blocked check(EventType type, ObjectNode event) {
        Compiled compiled = switch (type) {
            case TRACK -> events.get(event.get("event").asText());
            case IDENTIFY, PAGE, SCREEN -> calls.get(type);
            case GROUP, ALIAS -> null;
        };
        if (compiled == null) {
            if (type != EventType.TRACK) {
                return null;
            }
            checked.increment();
            Subject subject = Subject.track(event.get("event").asText());
            Violation v = new Violation(subject, "event", Kind.UNPLANNED_EVENT, "events", "listed", "unlisted");
            count(v);
            return declaration.mode() == Mode.BLOCK ? block(List.of(v)) : null;
        }
        checked.increment();
        Subject subject = compiled.subject();
        String field = subject.field();
        JsonNode value = event.get(field);
        ObjectNode object = value instanceof ObjectNode o ? o : null;
        List<Violation> found = new ArrayList<>(0);
        if (object != null) {
            int removed = compiled.shape()
                    .walk(
                            object,
                            field,
                            declaration.mode() == Mode.OMIT,
                            path -> found.add(new Violation(
                                    subject, path, Kind.UNPLANNED_PROPERTY, "properties", "absent", "present")));
            omitted.increment(removed);
        }
        try {
            for (com.networknt.schema.Error error : compiled.schema().validate(object == null ? EMPTY : object)) {
                found.add(Errors.violation(subject, field, error));
            }
        } catch (StackOverflowError e) {
            // Why catch an Error: loops of references are refused when a plan is read, but a schema that
            // recurses with the event's nesting can still go deep; it must cost this event only.
            found.add(new Violation(subject, field, Kind.UNCHECKABLE, "$ref", "a schema that ends", "too deep"));
        }
        if (found.isEmpty()) {
            return null;
        }
        found.forEach(this::count);
        if (declaration.mode() != Mode.BLOCK) {
            return null;
        }
        List<Violation> blocking = found.stream()
                // what the schema itself allows is counted only; additionalProperties: false does block
                .filter(v ->
                        !(v.kind() == Kind.UNPLANNED_PROPERTY && v.keyword().equals("properties")))
                .toList();
        return blocking.isEmpty() ? null : block(blocking);
    }

    private void count(Violation v) {
        kinds.get(v.kind()).increment();
        violations.record(declaration.key(), v);
    }

    private EventPlans.Blocked block(List<Violation> found) {
        blocked.increment();
        Violation first = found.get(0);
        String more = found.size() == 1 ? "" : " (and " + (found.size() - 1) + " more)";
        return new EventPlans.Blocked(
                "tracking_plan_violation",
                "Tracking plan '" + declaration.key() + "' blocks this event: " + first.describe() + " ("
                        + first.kind().wireName() + ")" + more
                        + ". Fix the event, or the plan, then replay it from the quarantine.",
                first.kind() == Kind.UNPLANNED_EVENT ? "event" : first.field());
    }
}
