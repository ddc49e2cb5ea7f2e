package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The properties a schema declares, level by level, worked out once when the plan is loaded: what
 * {@code omit} keeps and what counts as an unplanned property. A level declares its names with
 * {@code properties}; one that says nothing of them (no {@code properties}), or that admits more
 * ({@code additionalProperties} other than false, {@code patternProperties}, a {@code $ref} or a
 * combination such as {@code allOf}), is open: nothing in it is unplanned.
 *
 * @param names    the declared names, or null when the level is open
 * @param closed   whether the schema itself refuses other names ({@code additionalProperties: false}):
 *                 then the validator reports them, and only {@code omit} removes them here
 * @param children the shape inside each declared object property, and for arrays of objects
 */
record Shape(Set<String> names, boolean closed, Map<String, Shape> children, Map<String, Shape> items) {
    static final Shape OPEN = new Shape(null, false, Map.of(), Map.of());
    private static final Set<String> OPENING = Set.of(
            "patternProperties", "$ref", "allOf", "anyOf", "oneOf", "if", "dependentSchemas", "unevaluatedProperties");

    static Shape of(JsonNode schema) {
        if (schema == null || !schema.isObject() || !(schema.get("properties") instanceof ObjectNode properties)) {
            return OPEN;
        }
        for (String key : OPENING) {
            if (schema.has(key)) {
                return OPEN;
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && !(additional.isBoolean() && !additional.asBoolean())) {
            return OPEN;
        }
        Map<String, Shape> children = new HashMap<>();
        Map<String, Shape> items = new HashMap<>();
        for (var property : properties.properties()) {
            Shape inside = of(property.getValue());
            if (inside != OPEN) {
                children.put(property.getKey(), inside);
            }
            Shape item = of(property.getValue().get("items"));
            if (item != OPEN) {
                items.put(property.getKey(), item);
            }
        }
        return new Shape(names(properties), additional != null, Map.copyOf(children), Map.copyOf(items));
    }

    private static Set<String> names(ObjectNode properties) {
        Set<String> names = new java.util.HashSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return Set.copyOf(names);
    }

    /** Told of each unplanned property found, by its path. */
    interface Found {
        void unplanned(String path);
    }

    /**
     * Walks {@code object}: reports every unplanned property, and removes it when {@code remove}.
     * Returns how many were removed.
     */
    int walk(ObjectNode object, String path, boolean remove, Found found) {
        if (names == null) {
            return 0;
        }
        int removed = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (!names.contains(name)) {
                if (remove) {
                    it.remove();
                    removed++;
                    found.unplanned(path + "." + name);
                } else if (!closed) {
                    found.unplanned(path + "." + name);
                }
                continue;
            }
            JsonNode value = field.getValue();
            Shape inside = children.get(name);
            if (inside != null && value instanceof ObjectNode child) {
                removed += inside.walk(child, path + "." + name, remove, found);
            }
            Shape item = items.get(name);
            if (item != null && value instanceof ArrayNode array) {
                for (JsonNode element : array) {
                    if (element instanceof ObjectNode child) {
                        removed += item.walk(child, path + "." + name + "[]", remove, found);
                    }
                }
            }
        }
        return removed;
    }
}
