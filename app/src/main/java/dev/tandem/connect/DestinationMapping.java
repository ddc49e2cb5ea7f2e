package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.FieldPath;
import dev.tandem.error.BadRequest;
import dev.tandem.expr.CelValues;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.ValueExpression;
import dev.tandem.expr.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A destination's {@code mapping}: fields of the message sent, each set from a CEL expression over
 * the profile and the message ({@link Vocabulary#MAPPING}), compiled once when the destination is
 * declared. Applied to the message Tandem built, before the policy gate, so the gate still decides
 * on what the mapping made (a mapped copy of an email is hashed or dropped like the original).
 *
 * <p>A field whose expression fails for one item (a missing key, a wrong type) rejects that item
 * alone: it becomes a dead letter naming the field and CEL's reason, replayable once the mapping is
 * fixed. An expression that gives null leaves its field out.
 */
record DestinationMapping(List<Field> fields) {
    static final DestinationMapping NONE = new DestinationMapping(List.of());

    /** What a mapping may set: the names and the maps a tool reads; not what identifies or orders a message. */
    private static final Set<String> SINGLE = Set.of("event", "name", "category", "groupId");

    private static final Set<String> NESTED = Set.of("traits", "properties", "context");
    private static final String RULE = "a mapping sets event, name, category, groupId, or a field under traits., "
            + "properties. or context. (not context.tandem); messageId, type, userId, anonymousId and timestamp "
            + "are Tandem's";

    record Field(FieldPath target, ValueExpression expression) {}

    DestinationMapping {
        fields = List.copyOf(fields);
    }

    /** Reads {@code mapping: {"traits.tier": "computed.ltv > 500 ? 'gold' : 'std'"}}; a wrong entry is an error at it. */
    static DestinationMapping from(ConfigNode node, String destination, Expressions expressions) {
        if (node.isMissing()) {
            return NONE;
        }
        List<Field> fields = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> entry :
                node.fields(null, "the 'mapping' of '" + destination + "' (message fields and CEL expressions)")) {
            String name = entry.getKey();
            ConfigNode value = entry.getValue();
            if (!allowed(name)) {
                throw value.error(
                        "the destination '" + destination + "' cannot map '" + shortened(name) + "': " + RULE + ".");
            }
            String source = value.text("the expression for '" + name + "'");
            try {
                fields.add(new Field(FieldPath.of(name), expressions.compileValue(source, Vocabulary.MAPPING, name)));
            } catch (BadRequest e) {
                throw value.error("the destination '" + destination + "', mapping '" + name + "': " + e.getMessage());
            }
        }
        return new DestinationMapping(fields);
    }

    private static boolean allowed(String name) {
        String[] steps = name.split("\\.", -1);
        for (String step : steps) {
            if (step.isEmpty()) {
                return false;
            }
        }
        if (steps.length == 1) {
            return SINGLE.contains(name);
        }
        return NESTED.contains(steps[0]) && !(steps[0].equals("context") && steps[1].equals("tandem"));
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * Sets the mapped fields in {@code message} (a copy the caller owns) from {@code variables};
     * answers null, or why the item cannot be sent.
     */
    String apply(ObjectNode message, Map<String, Object> variables) {
        for (Field f : fields) {
            ValueExpression.Outcome outcome = f.expression().evaluate(variables);
            if (outcome.failed()) {
                return "the mapping of '" + f.target() + "' failed: " + outcome.error()
                        + "; fix the destination's mapping (has() guards an optional field), then replay the dead letter";
            }
            JsonNode value = CelValues.json(outcome.value());
            if (value != null) {
                set(message, f.target().steps(), value);
            }
        }
        return null;
    }

    private static void set(ObjectNode message, List<String> steps, JsonNode value) {
        ObjectNode at = message;
        for (int i = 0; i < steps.size() - 1; i++) {
            at = at.get(steps.get(i)) instanceof ObjectNode o ? o : at.putObject(steps.get(i));
        }
        at.set(steps.get(steps.size() - 1), value);
    }

    /** The mapping as declared, target to expression, for listings. */
    Map<String, String> described() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        fields.forEach(f -> out.put(f.target().toString(), f.expression().source()));
        return out;
    }

    private static String shortened(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
