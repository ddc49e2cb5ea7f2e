package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a change changes, field by field: each leaf added, updated (with old and new) or removed, by
 * its dotted path ({@code settings.url}). Objects are compared field by field; lists and other values
 * as wholes.
 */
final class Diff {
    private Diff() {}

    /** A JSON list of {@code {"op": "added"|"updated"|"removed", "path", "old", "new"}}, in path order. */
    static ArrayNode of(JsonNode before, JsonNode after) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        walk("", missingAsNull(before), missingAsNull(after), out);
        return out;
    }

    /** The paths a diff touches, as change rules read them in {@code change.fields}. */
    static List<String> paths(JsonNode diff) {
        List<String> paths = new ArrayList<>();
        diff.forEach(d -> paths.add(d.path("path").asText()));
        return paths;
    }

    private static void walk(String path, JsonNode before, JsonNode after, ArrayNode out) {
        if (before instanceof ObjectNode b && after instanceof ObjectNode a) {
            TreeSet<String> names = new TreeSet<>();
            b.fieldNames().forEachRemaining(names::add);
            a.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                walk(path.isEmpty() ? name : path + "." + name, b.get(name), a.get(name), out);
            }
            return;
        }
        if (before == null && after == null) {
            return;
        }
        if (before == null) {
            leaves(path, after, "added", out);
        } else if (after == null) {
            leaves(path, before, "removed", out);
        } else if (!before.equals(after)) {
            ObjectNode d = out.addObject().put("op", "updated").put("path", path);
            d.set("old", before);
            d.set("new", after);
        }
    }

    private static void leaves(String path, JsonNode value, String op, ArrayNode out) {
        if (value instanceof ObjectNode object && !object.isEmpty()) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                leaves(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), op, out);
            }
            return;
        }
        ObjectNode d = out.addObject().put("op", op).put("path", path);
        d.set(op.equals("added") ? "new" : "old", value);
    }

    private static JsonNode missingAsNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
