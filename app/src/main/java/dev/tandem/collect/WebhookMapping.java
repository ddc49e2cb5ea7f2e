package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.FieldPath;
import dev.tandem.error.BadRequest;
import dev.tandem.expr.CelValues;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ValueExpression;
import dev.tandem.expr.Vocabulary;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a source's webhook payloads become events, as {@code tandem.yaml} declares it under the
 * source's {@code webhook}: one CEL expression per event field over {@code body} (the payload),
 * {@code item} (the element being mapped), {@code headers} and {@code query}; optionally {@code
 * each}, a list in the payload of which every element becomes one event. A field whose expression
 * fails on one payload (a missing key, a wrong type) fails that payload alone, with the field and
 * CEL's reason; a null leaves the field out.
 */
public final class WebhookMapping {
    private static final Set<String> SINGLE = Set.of(
            "type",
            "event",
            "userId",
            "anonymousId",
            "timestamp",
            "messageId",
            "groupId",
            "previousId",
            "name",
            "category");
    private static final Set<String> NESTED = Set.of("traits", "properties", "context");

    private record Field(FieldPath target, ValueExpression expression) {}

    /** One element of a payload mapped: an event, or why it could not be made. */
    sealed interface Mapped {
        record Event(ObjectNode json) implements Mapped {}

        record Failed(Reason reason, JsonNode item) implements Mapped {}
    }

    private final ValueExpression each;
    private final List<Field> fields;

    private WebhookMapping(ValueExpression each, List<Field> fields) {
        this.each = each;
        this.fields = fields;
    }

    /** Reads a source's {@code webhook} block; a field name or an expression that is wrong stops start-up at its line. */
    public static WebhookMapping from(ConfigNode node, Expressions expressions) {
        ValueExpression each = null;
        List<Field> fields = new ArrayList<>();
        for (var entry : node.fields(null, "'webhook' (event fields and CEL expressions)")) {
            String name = entry.getKey();
            ConfigNode value = entry.getValue();
            String source = value.text("the expression for '" + name + "'");
            ValueExpression expression;
            try {
                expression = expressions.compileValue(source, Vocabulary.WEBHOOK, name);
            } catch (BadRequest e) {
                throw value.error(e.getMessage());
            }
            if (name.equals("each")) {
                each = expression;
                continue;
            }
            FieldPath path = FieldPath.of(name);
            String first = path.steps().get(0);
            if (!(SINGLE.contains(first) && path.steps().size() == 1) && !NESTED.contains(first)
                    || path.steps().stream().anyMatch(String::isEmpty)) {
                throw value.error("'" + name + "' is not an event field; use 'each', one of " + SINGLE
                        + ", or traits.NAME, properties.NAME, context.NAME.");
            }
            fields.add(new Field(path, expression));
        }
        if (fields.stream().noneMatch(f -> f.target().toString().equals("type"))) {
            throw node.error("a webhook mapping must set 'type', such as type: \"'track'\" (a CEL string).");
        }
        return new WebhookMapping(each, List.copyOf(fields));
    }

    /** The events of one payload; {@code raw} is the body as received, for the default messageIds. */
    List<Mapped> map(JsonNode body, Map<String, String> headers, Map<String, String> query, byte[] raw) {
        Map<String, Object> vars = new HashMap<>(8);
        Object bodyValue = Facts.json(body);
        vars.put("body", bodyValue);
        vars.put("headers", headers);
        vars.put("query", query);
        List<JsonNode> items = new ArrayList<>();
        if (each == null) {
            vars.put("item", bodyValue);
            items.add(body);
        } else {
            vars.put("item", bodyValue);
            ValueExpression.Outcome list = each.evaluate(vars);
            JsonNode elements = list.failed() ? null : CelValues.json(list.value());
            if (elements == null || !elements.isArray()) {
                String why = list.failed()
                        ? list.error()
                        : "it gave "
                                + (elements == null
                                        ? "null"
                                        : elements.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                                + ", not a list";
                return List.of(new Mapped.Failed(failure("each", why), body));
            }
            if (elements.size() > Limits.SEGMENT.maxBatchEvents()) {
                throw new BadRequest(
                        "webhook_too_many_events",
                        "'each' gave " + elements.size() + " elements; one payload may make at most "
                                + Limits.SEGMENT.maxBatchEvents() + " events. Send smaller payloads.");
            }
            elements.forEach(items::add);
        }
        String digest = digest(raw);
        List<Mapped> mapped = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (each != null) {
                vars.put("item", Facts.json(items.get(i)));
            }
            mapped.add(event(vars, items.get(i), digest, i));
        }
        return mapped;
    }

    private Mapped event(Map<String, Object> vars, JsonNode item, String digest, int index) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        for (Field field : fields) {
            ValueExpression.Outcome outcome = field.expression().evaluate(vars);
            if (outcome.failed()) {
                return new Mapped.Failed(failure(field.target().toString(), outcome.error()), item);
            }
            JsonNode value = CelValues.json(outcome.value());
            String name = field.target().toString();
            if (value == null) {
                continue;
            }
            if (name.equals("timestamp")) {
                value = WebhookValues.timestamp(value);
                if (value == null) {
                    return new Mapped.Failed(
                            failure(name, "it must give a timestamp, an ISO-8601 text or seconds since 1970"), item);
                }
            }
            if ((name.equals("traits") || name.equals("properties") || name.equals("context")) && !value.isObject()) {
                return new Mapped.Failed(failure(name, "it must give a map"), item);
            }
            set(event, field.target(), value);
        }
        if (!event.hasNonNull("messageId")) {
            event.put("messageId", "webhook-" + digest + "-" + index);
        }
        return new Mapped.Event(event);
    }

    private static void set(ObjectNode event, FieldPath target, JsonNode value) {
        ObjectNode at = event;
        List<String> steps = target.steps();
        for (int i = 0; i < steps.size() - 1; i++) {
            at = at.get(steps.get(i)) instanceof ObjectNode o ? o : at.putObject(steps.get(i));
        }
        String last = steps.get(steps.size() - 1);
        if (at.get(last) instanceof ObjectNode existing && value instanceof ObjectNode incoming) {
            incoming.properties().forEach(e -> existing.putIfAbsent(e.getKey(), e.getValue()));
        } else {
            at.set(last, value);
        }
    }

    private static Reason failure(String field, String why) {
        return new Reason(
                "webhook_mapping_failed",
                "The source's webhook mapping failed on this payload at '" + field + "': " + why
                        + ". Fix the mapping in tandem.yaml (has() guards an optional field), then replay the event.",
                field);
    }

    private static String digest(byte[] raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(raw), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}
