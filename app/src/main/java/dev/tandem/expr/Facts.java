package dev.tandem.expr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables of {@link Vocabulary} for one profile, or one request: JSON values become CEL
 * values (whole numbers are ints, other numbers doubles, null is CEL's null), times become
 * timestamps. A visitor without a profile reads as an empty one. The maps are converted here, once
 * per profile or request, and handed to CEL as {@link CelMap}s, which it reads without converting
 * them again on every read.
 */
public final class Facts {
    private Facts() {}

    /** The variables an audience condition sees. */
    public static Map<String, Object> profile(ProfileView view, Map<String, List<String>> identifiers) {
        Map<String, Object> vars = new HashMap<>(16);
        vars.put("traits", CelMap.of(values(view == null ? Map.of() : view.traits())));
        vars.put("computed", CelMap.of(present(view == null ? Map.of() : view.computed())));
        vars.put("identifiers", CelMap.of(identifiers));
        vars.put("channels", view == null ? List.of() : view.channels());
        vars.put("sources", view == null ? List.of() : view.sources());
        vars.put("consent", CelMap.of(view == null ? Map.of() : view.consent()));
        vars.put("event_count", view == null ? 0L : view.eventCount());
        vars.put("first_seen", Instant.ofEpochMilli(view == null ? 0 : view.firstSeen()));
        vars.put("last_seen", Instant.ofEpochMilli(view == null ? 0 : view.lastSeen()));
        return vars;
    }

    /** The variables a decision rule sees: the profile's, its audiences, and the request. */
    public static Map<String, Object> decision(
            Map<String, Object> profile,
            boolean known,
            List<String> audiences,
            JsonNode context,
            String placement,
            Instant now) {
        Map<String, Object> vars = new HashMap<>(profile);
        vars.put("known", known);
        vars.put("audiences", audiences);
        vars.put("context", CelMap.of(context == null || !context.isObject() ? Map.of() : object(context)));
        vars.put("placement", placement);
        vars.put("now", now);
        return vars;
    }

    /**
     * The variables a destination's event filter sees: {@code event} (a track's event name, a
     * page's or screen's name, else empty), {@code type}, and the event's properties, context and
     * traits.
     */
    /** What expressions see as {@code event}: a track's name, a page's or screen's name, else "". */
    public static String eventName(JsonNode event) {
        return event.path("type").asText("").equals("track")
                ? event.path("event").asText("")
                : event.path("name").asText("");
    }

    public static Map<String, Object> event(JsonNode event) {
        Map<String, Object> vars = new HashMap<>(8);
        vars.put("type", event.path("type").asText(""));
        vars.put("event", eventName(event));
        vars.put("properties", objectOrEmpty(event.get("properties")));
        vars.put("context", objectOrEmpty(event.get("context")));
        vars.put("traits", objectOrEmpty(event.get("traits")));
        return vars;
    }

    /** The variables {@link #mapping} takes from the message rather than the profile. */
    public static final java.util.Set<String> MESSAGE_VARIABLES =
            java.util.Set.of("message", "event", "type", "properties", "context");

    /**
     * The variables a destination's mapping sees: the profile's (from {@link #profile}, not changed)
     * and the message as Tandem built it, whole as {@code message} and as {@code event},
     * {@code type}, {@code properties} and {@code context}.
     */
    public static Map<String, Object> mapping(Map<String, Object> profile, JsonNode message) {
        Map<String, Object> vars = new HashMap<>(profile);
        Map<String, Object> event = event(message);
        vars.put("message", objectOrEmpty(message));
        vars.put("event", event.get("event"));
        vars.put("type", event.get("type"));
        vars.put("properties", event.get("properties"));
        vars.put("context", event.get("context"));
        return vars;
    }

    private static Object objectOrEmpty(JsonNode node) {
        return node == null || !node.isObject() ? Map.of() : value(node);
    }

    /** Computed traits with a value: one without (an average of no events) is absent, so {@code has()} tells. */
    private static Map<String, Object> present(Map<String, JsonNode> json) {
        Map<String, Object> out = new LinkedHashMap<>();
        json.forEach((k, v) -> {
            if (v != null && !v.isNull()) {
                out.put(k, value(v));
            }
        });
        return out;
    }

    private static Map<String, Object> values(Map<String, JsonNode> json) {
        Map<String, Object> out = new LinkedHashMap<>();
        json.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    /** A JSON value as an expression reads it, such as the payload a webhook mapping reads as {@code body}. */
    public static Object json(JsonNode node) {
        return value(node);
    }

    /** One JSON value as CEL sees it. */
    static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(v -> list.add(value(v)));
            return list;
        }
        return object(node);
    }

    private static Map<String, Object> object(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), value(e.getValue())));
        return map;
    }
}
