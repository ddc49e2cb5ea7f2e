package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses what a schema could do to the server before it is compiled: too many nodes or too deep,
 * references anywhere but inside the schema itself (nothing is ever fetched), references that loop
 * without moving into the event (which would recurse without end at the first event), and regular
 * expressions that RE2 cannot run in linear time. It walks the schema as JSON Schema reads it, so a
 * property named {@code $ref} or a {@code const} holding one is data, not a reference.
 */
final class SchemaGuard {
    static final int MAX_DEPTH = 32;
    static final int MAX_NODES = 20_000;
    static final int MAX_REGEX = 1_000;

    /** Keywords whose value maps names to schemas. */
    private static final Set<String> SCHEMA_MAPS =
            Set.of("properties", "patternProperties", "$defs", "definitions", "dependentSchemas");
    /** Keywords whose value is one schema (or, for {@code items} of older drafts, a list). */
    private static final Set<String> SCHEMAS = Set.of(
            "additionalProperties",
            "items",
            "additionalItems",
            "contains",
            "not",
            "if",
            "then",
            "else",
            "propertyNames",
            "unevaluatedItems",
            "unevaluatedProperties");

    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    /** Applied to the same value as the schema holding them: a loop through these never ends. */
    private static final Set<String> IN_PLACE = Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else");
    /** Identifiers and dynamic references: a plan's schema stands alone, so these have nothing to do. */
    private static final Set<String> REFUSED = Set.of(
            "$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$vocabulary");

    private final JsonNode root;
    private final String where;
    private int nodes;
    /** Every schema object by its JSON pointer, with the pointers it is applied in place with. */
    private final Map<String, List<String>> inPlace = new HashMap<>();

    private SchemaGuard(JsonNode root, String where) {
        this.root = root;
        this.where = where;
    }

    /**
     * Why the schema must not be loaded, or null.
     *
     * @param where how the plan names the schema, for the message ("the schema of 'Order Completed'")
     */
    static String problem(JsonNode schema, String where) {
        SchemaGuard guard = new SchemaGuard(schema, where);
        String problem = guard.count(schema, 1);
        if (problem == null) {
            problem = guard.schema(schema, "", true);
        }
        return problem == null ? guard.loop() : problem;
    }

    private String count(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            return where + " nests deeper than " + MAX_DEPTH + " levels; flatten it or use $defs.";
        }
        if (++nodes > MAX_NODES) {
            return where + " has more than " + MAX_NODES + " JSON values; split the plan or simplify the schema.";
        }
        for (JsonNode child : node) {
            String problem = count(child, depth + 1);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private String schema(JsonNode node, String pointer, boolean isRoot) {
        if (node.isBoolean()) {
            return null;
        }
        if (!node.isObject()) {
            return where + " has " + at(pointer) + " a "
                    + node.getNodeType().name().toLowerCase()
                    + " where a schema (an object, or true or false) belongs.";
        }
        List<String> same = new ArrayList<>();
        inPlace.put(pointer, same);
        for (var field : node.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            String path = pointer + "/" + escape(key);
            if (REFUSED.contains(key)) {
                return where + " uses '" + key + "' " + at(pointer)
                        + "; a tracking plan's schema stands alone: refer to its own $defs with \"$ref\": \"#/$defs/...\".";
            }
            if (key.equals("$schema")
                    && !(isRoot && value.isTextual() && value.asText().equals(Schemas.DIALECT))) {
                return where + " declares '$schema' " + at(pointer)
                        + "; plans are JSON Schema 2020-12: remove it, or write " + Schemas.DIALECT + " at the top.";
            }
            String problem = switch (key) {
                case "$ref" -> reference(value, pointer, same);
                case "pattern" -> value.isTextual() ? regex(value.asText(), path) : null;
                default -> null;
            };
            if (problem == null && SCHEMA_MAPS.contains(key) && value.isObject()) {
                for (var named : value.properties()) {
                    String child = path + "/" + escape(named.getKey());
                    problem = key.equals("patternProperties") ? regex(named.getKey(), child) : null;
                    if (problem == null) {
                        problem = schema(named.getValue(), child, false);
                    }
                    if (problem == null && key.equals("dependentSchemas")) {
                        same.add(child);
                    }
                    if (problem != null) {
                        return problem;
                    }
                }
            } else if (problem == null && SCHEMAS.contains(key)) {
                problem = value.isArray() ? list(value, path, null) : schema(value, path, false);
                if (problem == null && IN_PLACE.contains(key)) {
                    same.add(path);
                }
            } else if (problem == null && SCHEMA_LISTS.contains(key) && value.isArray()) {
                problem = list(value, path, IN_PLACE.contains(key) ? same : null);
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private String list(JsonNode items, String path, List<String> same) {
        for (int i = 0; i < items.size(); i++) {
            String problem = schema(items.get(i), path + "/" + i, false);
            if (problem != null) {
                return problem;
            }
            if (same != null) {
                same.add(path + "/" + i);
            }
        }
        return null;
    }

    private String reference(JsonNode value, String pointer, List<String> same) {
        String ref = value.isTextual() ? value.asText() : "";
        if (!ref.equals("#") && !ref.startsWith("#/")) {
            return where + " refers " + at(pointer) + " to " + (value.isTextual() ? "'" + shorten(ref) + "'" : value)
                    + "; a tracking plan never fetches anything: refer to the schema's own $defs, such as \"#/$defs/address\".";
        }
        String target = ref.substring(1);
        JsonNode found = root.at(target.isEmpty() ? "" : target);
        if (found.isMissingNode() || !(found.isObject() || found.isBoolean())) {
            return where + " refers " + at(pointer) + " to '" + shorten(ref) + "', which is not a schema in it.";
        }
        same.add(target);
        return null;
    }

    private String regex(String regex, String path) {
        if (regex.length() > MAX_REGEX) {
            return where + " has a regular expression of " + regex.length() + " characters " + at(path) + "; at most "
                    + MAX_REGEX + ".";
        }
        String problem = SafeRegex.problem(regex);
        return problem == null
                ? null
                : where + " has a regular expression " + at(path) + " that cannot be run safely (" + problem
                        + "); plans take RE2 syntax, without backreferences or lookaround.";
    }

    /** A chain of in-place references that comes back to where it started, named by a schema on it. */
    private String loop() {
        // depth-first with an explicit stack (a chain may be thousands long): 1 on the path, 2 done
        Map<String, Integer> state = new HashMap<>();
        for (String start : inPlace.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            java.util.ArrayDeque<java.util.Iterator<String>> stack = new java.util.ArrayDeque<>();
            java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
            state.put(start, 1);
            path.push(start);
            stack.push(inPlace.getOrDefault(start, List.of()).iterator());
            while (!stack.isEmpty()) {
                if (!stack.peek().hasNext()) {
                    stack.pop();
                    state.put(path.pop(), 2);
                    continue;
                }
                String next = stack.peek().next();
                Integer seen = state.get(next);
                if (seen != null && seen == 1) {
                    return where + " refers to itself without end " + at(next)
                            + " (each step applies to the same value); make the loop pass through 'properties' or 'items'.";
                }
                if (seen == null) {
                    state.put(next, 1);
                    path.push(next);
                    stack.push(inPlace.getOrDefault(next, List.of()).iterator());
                }
            }
        }
        return null;
    }

    private static String at(String pointer) {
        return pointer.isEmpty() ? "at its top" : "at " + pointer;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
