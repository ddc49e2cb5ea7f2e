package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.BadRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conditions a qualified approval attaches: {@code {"hash": ["email"], "drop": ["phone"],
 * "mask": ["name"], "expires": "30d"}}. Field names are matched as the policy gate matches
 * {@code field.name}. They become part of the applied object as its {@code conditions}: lists
 * joined, the earliest expiry kept (as {@code expiresAt}, an instant).
 */
final class Conditions {
    private static final Set<String> FIELD_LISTS = Set.of("hash", "drop", "mask");
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,3})([hd])");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    static final String EXAMPLE = "{\"hash\": [\"email\"], \"drop\": [\"phone\"], \"expires\": \"30d\"}";

    private Conditions() {}

    /** Checks a qualified approval's conditions against what the kind allows; null when none are given. */
    static ObjectNode check(JsonNode conditions, Set<String> allowed, String kind, Instant now) {
        if (conditions == null || conditions.isNull()) {
            return null;
        }
        if (!conditions.isObject() || conditions.isEmpty()) {
            throw new BadRequest(
                    "invalid_conditions", "'conditions' is an object such as " + EXAMPLE + ".", "conditions");
        }
        ObjectNode out = conditions.deepCopy();
        for (var e : conditions.properties()) {
            String name = e.getKey();
            if (!allowed.contains(name)) {
                throw new BadRequest(
                        "invalid_conditions",
                        allowed.isEmpty()
                                ? "An approval of a " + kind
                                        + " cannot attach conditions; approve it plainly or reject it."
                                : "'" + name + "' is not a condition a " + kind + " takes; it takes "
                                        + new TreeSet<>(allowed) + ".",
                        "conditions." + name);
            }
            JsonNode v = e.getValue();
            if (FIELD_LISTS.contains(name)) {
                if (!v.isArray() || v.isEmpty() || v.size() > 100) {
                    throw new BadRequest(
                            "invalid_conditions",
                            "'" + name + "' is a list of 1 to 100 field names, such as [\"email\"].",
                            "conditions." + name);
                }
                for (JsonNode f : v) {
                    if (!f.isTextual() || !FIELD.matcher(f.asText()).matches()) {
                        throw new BadRequest(
                                "invalid_conditions",
                                "Each field in '" + name
                                        + "' is a name of letters, digits, '_', '.' or '-', such as \"email\".",
                                "conditions." + name);
                    }
                }
            } else if (name.equals("expires")) {
                Matcher m = v.isTextual() ? DURATION.matcher(v.asText()) : null;
                if (m == null || !m.matches()) {
                    throw new BadRequest(
                            "invalid_conditions",
                            "'expires' is how long the approval holds, in hours or days: \"48h\", \"30d\" (at most 9999).",
                            "conditions.expires");
                }
                long n = Long.parseLong(m.group(1));
                Duration d = m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n);
                out.remove("expires");
                out.put("expiresAt", now.plus(d).toString());
            }
        }
        return out;
    }

    /** The declaration with every approval's conditions joined into its {@code conditions}. */
    static JsonNode applied(JsonNode declaration, List<JsonNode> approvals) {
        if (declaration == null || approvals.isEmpty()) {
            return declaration;
        }
        ObjectNode out = declaration.deepCopy();
        ObjectNode joined = out.get("conditions") instanceof ObjectNode had ? had : out.putObject("conditions");
        for (JsonNode c : approvals) {
            for (var e : c.properties()) {
                if (FIELD_LISTS.contains(e.getKey())) {
                    ArrayNode list = joined.get(e.getKey()) instanceof ArrayNode a ? a : joined.putArray(e.getKey());
                    for (JsonNode f : e.getValue()) {
                        boolean present = false;
                        for (JsonNode g : list) {
                            present |= g.asText().equals(f.asText());
                        }
                        if (!present) {
                            list.add(f.asText());
                        }
                    }
                } else if (e.getKey().equals("expiresAt")) {
                    String at = e.getValue().asText();
                    JsonNode had = joined.get("expiresAt");
                    if (had == null || Instant.parse(at).isBefore(Instant.parse(had.asText()))) {
                        joined.put("expiresAt", at);
                    }
                }
            }
        }
        return out;
    }
}
