package dev.tandem.profile;

import dev.tandem.collect.EventType;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.FieldPath;
import dev.tandem.protect.Purposes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code profiles} section of {@code tandem.yaml}: which source wins a trait regardless of
 * time ({@code traitPrecedence}), and the computed traits.
 *
 * <pre>
 * profiles:
 *   traitPrecedence:
 *     email: [crm, web]        # crm's value beats web's; unlisted sources rank below, later event wins among equals
 *   computedTraits:
 *     - name: orders_30d
 *       aggregate: count       # count, sum, avg, min, max, first, last, most_frequent, unique, unique_count
 *       event: Order Completed # optional filter on the event name; 'type: track' filters on the call type
 *       window: 30d            # optional rolling window
 *     - name: lifetime_revenue
 *       aggregate: sum
 *       property: properties.revenue
 * </pre>
 */
public record ProfileRules(
        Map<String, List<String>> traitPrecedence, List<ComputedTrait> computedTraits, Purposes purposes) {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    public static ProfileRules defaults() {
        return new ProfileRules(Map.of(), List.of(), Purposes.defaults());
    }

    /** The same rules with the workspace's purposes, which decide what consent means. */
    public ProfileRules withPurposes(Purposes catalog) {
        return new ProfileRules(traitPrecedence, computedTraits, catalog);
    }

    /** Rank of a source for a trait: 0 is the strongest; sources not listed share the weakest rank. */
    int rank(String trait, String sourceName) {
        List<String> order = traitPrecedence.get(trait);
        if (order == null) {
            return 0;
        }
        int i = order.indexOf(sourceName);
        return i < 0 ? order.size() : i;
    }

    public static ProfileRules from(ConfigNode section) {
        if (section.isMissing()) {
            return defaults();
        }
        Map<String, List<String>> precedence = new HashMap<>();
        List<ComputedTrait> computed = new ArrayList<>();
        for (var f : section.fields(Set.of("traitPrecedence", "computedTraits"), "'profiles'")) {
            if (f.getKey().equals("traitPrecedence")) {
                for (var t : f.getValue().fields(null, "'traitPrecedence'")) {
                    List<String> sources = new ArrayList<>();
                    t.getValue()
                            .list("the precedence of '" + t.getKey() + "'")
                            .forEach(s -> sources.add(s.text("each source name")));
                    precedence.put(t.getKey(), List.copyOf(sources));
                }
            } else {
                Set<String> names = new HashSet<>();
                for (ConfigNode item : f.getValue().list("'computedTraits'")) {
                    ComputedTrait trait = computedTrait(item);
                    if (!names.add(trait.name())) {
                        throw item.get("name").error("the computed trait '" + trait.name() + "' is declared twice.");
                    }
                    computed.add(trait);
                }
            }
        }
        return new ProfileRules(Map.copyOf(precedence), List.copyOf(computed), Purposes.defaults());
    }

    private static ComputedTrait computedTrait(ConfigNode item) {
        String name = null;
        Aggregate aggregate = null;
        String property = null;
        String event = null;
        EventType type = null;
        Duration window = null;
        for (var f :
                item.fields(Set.of("name", "aggregate", "property", "event", "type", "window"), "a computed trait")) {
            ConfigNode v = f.getValue();
            switch (f.getKey()) {
                case "name" -> name = v.text("'name'");
                case "aggregate" -> {
                    aggregate = Aggregate.named(v.text("'aggregate'"));
                    if (aggregate == null) {
                        throw v.error(
                                "'aggregate' must be one of count, sum, avg, min, max, first, last, most_frequent, unique, unique_count.");
                    }
                }
                case "property" -> property = v.text("'property'");
                case "event" -> event = v.text("'event'");
                case "type" -> {
                    type = EventType.fromWire(v.text("'type'"))
                            .orElseThrow(() -> v.error("'type' must be one of "
                                    + Arrays.stream(EventType.values())
                                            .map(EventType::wireName)
                                            .toList() + "."));
                }
                case "window" -> {
                    window = v.duration("'window'");
                    if (window.toHours() < 1) {
                        throw v.error(
                                "a window must be at least one hour ('1h'); windows are kept in hourly or daily buckets.");
                    }
                }
                default -> throw new IllegalStateException(f.getKey());
            }
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw item.error("a computed trait needs a 'name' of letters, digits and '_', such as 'orders_30d'.");
        }
        if (aggregate == null) {
            throw item.error("the computed trait '" + name + "' needs an 'aggregate', such as 'count' or 'sum'.");
        }
        if (aggregate.needsProperty() && property == null) {
            throw item.error("the computed trait '" + name
                    + "' aggregates a property: add 'property', such as 'properties.revenue'.");
        }
        return new ComputedTrait(
                name, aggregate, property == null ? null : FieldPath.of(property), event, type, window);
    }
}
