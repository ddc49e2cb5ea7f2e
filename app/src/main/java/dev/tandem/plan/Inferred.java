package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.protect.FieldClass;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a draft learns of one object over many events: per field the JSON types seen and how often
 * it was there, the same inside objects and in the items of lists. Values are only looked at for
 * their type; none is kept.
 */
final class Inferred {
    private static final int MAX_FIELDS = 200;
    private static final int MAX_DEPTH = 6;

    private int objects;
    private final Map<String, Field> fields = new LinkedHashMap<>();

    private static final class Field {
        int present;
        final TreeSet<String> types = new TreeSet<>();
        Inferred object;
        Inferred items;
    }

    void add(JsonNode value) {
        add(value, 0);
    }

    private void add(JsonNode value, int depth) {
        objects++;
        if (value == null || !value.isObject()) {
            return;
        }
        for (var entry : value.properties()) {
            Field field = fields.get(entry.getKey());
            if (field == null) {
                if (fields.size() >= MAX_FIELDS) {
                    continue;
                }
                field = new Field();
                fields.put(entry.getKey(), field);
            }
            field.present++;
            JsonNode v = entry.getValue();
            field.types.add(type(v));
            if (v.isObject() && depth < MAX_DEPTH) {
                (field.object == null ? field.object = new Inferred() : field.object).add(v, depth + 1);
            }
            if (v.isArray() && depth < MAX_DEPTH) {
                if (field.items == null) {
                    field.items = new Inferred();
                }
                for (JsonNode item : v) {
                    field.items.item(item, depth + 1);
                }
            }
        }
    }

    /** The items of a list: their types, and their fields when they are objects. */
    private final TreeSet<String> itemTypes = new TreeSet<>();

    private void item(JsonNode item, int depth) {
        itemTypes.add(type(item));
        if (item.isObject()) {
            add(item, depth);
        }
    }

    ObjectNode schema(ObjectMapper mapper, String path, Map<String, FieldClass> classes) {
        ObjectNode schema = mapper.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        var required = mapper.createArrayNode();
        fields.forEach((name, field) -> {
            String at = path + "." + name;
            ObjectNode property = field.object != null && field.types.size() == 1
                    ? field.object.schema(mapper, at, classes)
                    : mapper.createObjectNode();
            types(property, field.types, mapper);
            if (field.items != null && !field.items.itemTypes.isEmpty()) {
                ObjectNode items = field.items.itemTypes.equals(java.util.Set.of("object"))
                        ? field.items.schema(mapper, at + "[]", classes)
                        : mapper.createObjectNode();
                types(items, field.items.itemTypes, mapper);
                property.set("items", items);
            }
            FieldClass c = classes.get(at);
            if (c != null && c != FieldClass.GENERAL) {
                property.put("description", c.wireName() + " (field catalog)");
            }
            properties.set(name, property);
            if (field.present == objects) {
                required.add(name);
            }
        });
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private static void types(ObjectNode schema, TreeSet<String> seen, ObjectMapper mapper) {
        TreeSet<String> types = new TreeSet<>(seen);
        if (types.contains("number")) {
            types.remove("integer");
        }
        if (types.size() == 1) {
            schema.put("type", types.first());
        } else {
            var list = schema.putArray("type");
            types.forEach(list::add);
        }
    }

    private static String type(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> v.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case OBJECT -> "object";
            case ARRAY -> "array";
            default -> "null";
        };
    }
}
