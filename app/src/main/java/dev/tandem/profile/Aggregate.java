package dev.tandem.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The kinds of computed trait. Each keeps a small partial state that an event updates
 * ({@link #add}), that two partials combine into ({@link #combine}: used when profiles merge and
 * to sum the buckets of a rolling window), and that gives the trait's value ({@link #result}).
 */
enum Aggregate {
    COUNT,
    SUM,
    AVG,
    MIN,
    MAX,
    FIRST,
    LAST,
    MOST_FREQUENT,
    UNIQUE,
    UNIQUE_COUNT;

    /** Most frequent and unique values keep at most this many distinct values per profile. */
    static final int MAX_DISTINCT = 500;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    boolean needsProperty() {
        return this != COUNT;
    }

    boolean numeric() {
        return this == SUM || this == AVG || this == MIN || this == MAX;
    }

    /** Adds one event's value (null for COUNT) seen at {@code at}; false when the value does not fit (not a number). */
    boolean add(ObjectNode s, JsonNode value, long at) {
        if (this != COUNT && (value == null || value.isNull() || value.isMissingNode())) {
            return false;
        }
        if (numeric() && !value.isNumber()) {
            return false;
        }
        switch (this) {
            case COUNT -> s.put("n", s.path("n").asLong() + 1);
            case SUM -> s.put("sum", finite(s.path("sum").asDouble() + value.asDouble()));
            case AVG ->
                s.put("sum", finite(s.path("sum").asDouble() + value.asDouble()))
                        .put("n", s.path("n").asLong() + 1);
            case MIN ->
                s.put("min", s.has("min") ? Math.min(s.get("min").asDouble(), value.asDouble()) : value.asDouble());
            case MAX ->
                s.put("max", s.has("max") ? Math.max(s.get("max").asDouble(), value.asDouble()) : value.asDouble());
            case FIRST -> {
                if (!s.has("t") || at < s.get("t").asLong()) {
                    s.set("v", value);
                    s.put("t", at);
                }
            }
            case LAST -> {
                if (!s.has("t") || at >= s.get("t").asLong()) {
                    s.set("v", value);
                    s.put("t", at);
                }
            }
            case MOST_FREQUENT -> {
                ObjectNode counts = s.has("c") ? (ObjectNode) s.get("c") : s.putObject("c");
                String key = value.asText();
                if (counts.has(key) || counts.size() < MAX_DISTINCT) {
                    counts.put(key, counts.path(key).asLong() + 1);
                }
            }
            case UNIQUE, UNIQUE_COUNT -> {
                ArrayNode values = s.has("u") ? (ArrayNode) s.get("u") : s.putArray("u");
                if (values.size() < MAX_DISTINCT && !contains(values, value)) {
                    values.add(value);
                }
            }
        }
        return true;
    }

    /**
     * A sum that overflowed held at the largest double of its sign. Why: an infinite sum would be
     * stored as "Infinity" and stay infinite for good (no later value brings it back), and a stored
     * one from before this rule (or NaN) reads as the bound (or 0) again.
     */
    static double finite(double sum) {
        return Double.isNaN(sum) ? 0 : Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, sum));
    }

    /** Folds {@code other} into {@code into}. */
    void combine(ObjectNode into, ObjectNode other) {
        switch (this) {
            case COUNT ->
                into.put("n", into.path("n").asLong() + other.path("n").asLong());
            case SUM ->
                into.put(
                        "sum",
                        finite(into.path("sum").asDouble() + other.path("sum").asDouble()));
            case AVG ->
                into.put(
                                "sum",
                                finite(into.path("sum").asDouble()
                                        + other.path("sum").asDouble()))
                        .put("n", into.path("n").asLong() + other.path("n").asLong());
            case MIN, MAX -> {
                String f = this == MIN ? "min" : "max";
                if (other.has(f)) {
                    add(into, other.get(f), 0);
                }
            }
            case FIRST, LAST -> {
                if (other.has("t")) {
                    add(into, other.get("v"), other.get("t").asLong());
                }
            }
            case MOST_FREQUENT -> {
                ObjectNode counts = into.has("c") ? (ObjectNode) into.get("c") : into.putObject("c");
                for (var e : other.path("c").properties()) {
                    if (counts.has(e.getKey()) || counts.size() < MAX_DISTINCT) {
                        counts.put(
                                e.getKey(),
                                counts.path(e.getKey()).asLong() + e.getValue().asLong());
                    }
                }
            }
            case UNIQUE, UNIQUE_COUNT -> other.path("u").forEach(v -> add(into, v, 0));
        }
    }

    /** The trait's value from a partial; null when no event counted yet (0 for counts). */
    JsonNode result(ObjectNode s) {
        return switch (this) {
            case COUNT -> JSON.numberNode(s.path("n").asLong());
            case SUM -> s.has("sum") ? JSON.numberNode(finite(s.get("sum").asDouble())) : JSON.numberNode(0.0);
            case AVG ->
                s.path("n").asLong() == 0
                        ? JSON.nullNode()
                        : JSON.numberNode(
                                finite(s.get("sum").asDouble()) / s.get("n").asLong());
            case MIN -> s.has("min") ? s.get("min") : JSON.nullNode();
            case MAX -> s.has("max") ? s.get("max") : JSON.nullNode();
            case FIRST, LAST -> s.has("v") ? s.get("v") : JSON.nullNode();
            case MOST_FREQUENT -> mostFrequent(s.path("c"));
            case UNIQUE -> s.has("u") ? s.get("u") : JSON.arrayNode();
            case UNIQUE_COUNT -> JSON.numberNode(s.path("u").size());
        };
    }

    private static JsonNode mostFrequent(JsonNode counts) {
        String best = null;
        long most = 0;
        for (var e : counts.properties()) {
            // ties go to the smaller value, so the answer does not depend on arrival order
            if (e.getValue().asLong() > most
                    || (e.getValue().asLong() == most
                            && best != null
                            && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                most = e.getValue().asLong();
            }
        }
        return best == null ? JSON.nullNode() : JSON.textNode(best);
    }

    private static boolean contains(ArrayNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    static Aggregate named(String name) {
        for (Aggregate a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        return null;
    }
}
