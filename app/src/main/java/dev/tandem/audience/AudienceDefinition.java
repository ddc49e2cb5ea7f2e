package dev.tandem.audience;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Vocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a person declares about an audience: a key (stable, used in URLs and events), a name,
 * owners, the CEL condition and an optional description.
 *
 * <pre>
 * audiences:
 *   - key: big_spenders
 *     name: Big spenders
 *     owners: [marketing]
 *     condition: computed.lifetime_revenue >= 500
 *     description: Customers who spent 500 or more, ever.
 * </pre>
 */
public record AudienceDefinition(String key, String name, String description, List<String> owners, String condition) {
    static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final String KEY_RULE = "lower-case letters, digits and '_', starting with a letter, at most 64 characters";
    private static final Set<String> FIELDS = Set.of("key", "name", "description", "owners", "condition");

    /** The {@code audiences} section: a list of definitions with unique keys and conditions that compile. */
    public static List<AudienceDefinition> fromConfig(ConfigNode section, Expressions expressions) {
        List<AudienceDefinition> all = new ArrayList<>();
        if (section.isMissing()) {
            return all;
        }
        Set<String> keys = new HashSet<>();
        for (ConfigNode item : section.list("'audiences'")) {
            String key = null;
            String name = null;
            String description = null;
            String condition = null;
            List<String> owners = new ArrayList<>();
            for (var f : item.fields(FIELDS, "an audience")) {
                ConfigNode v = f.getValue();
                switch (f.getKey()) {
                    case "key" -> key = v.text("'key'");
                    case "name" -> name = v.text("'name'");
                    case "description" -> description = v.text("'description'");
                    case "owners" -> v.list("'owners'").forEach(o -> owners.add(o.text("each owner")));
                    case "condition" -> {
                        condition = v.text("'condition'");
                        try {
                            expressions.compile(condition, Vocabulary.AUDIENCE, "condition");
                        } catch (BadRequest e) {
                            throw v.error(e.getMessage());
                        }
                    }
                    default -> throw new IllegalStateException(f.getKey());
                }
            }
            AudienceDefinition definition =
                    new AudienceDefinition(key, name, description, List.copyOf(owners), condition);
            String problem = definition.problem();
            if (problem != null) {
                throw item.error(problem);
            }
            if (!keys.add(key)) {
                throw item.get("key").error("the audience key '" + key + "' is declared twice.");
            }
            all.add(definition);
        }
        return all;
    }

    /** A definition from an admin API body; the key comes from the path when the body has none. */
    static AudienceDefinition fromJson(JsonNode body, String pathKey, Expressions expressions) {
        JsonBody.requireObject(
                body,
                FIELDS,
                "an audience",
                "{\"key\": \"big_spenders\", \"name\": \"Big spenders\", "
                        + "\"owners\": [\"marketing\"], \"condition\": \"computed.lifetime_revenue >= 500\"}");
        String key = text(body, "key");
        if (pathKey != null) {
            if (key != null && !key.equals(pathKey)) {
                throw new BadRequest(
                        "key_mismatch",
                        "The body's key '" + key + "' differs from the URL's '" + pathKey
                                + "'; a key cannot change: create a new audience instead.",
                        "key");
            }
            key = pathKey;
        }
        List<String> owners = new ArrayList<>();
        JsonNode list = body.get("owners");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new BadRequest(
                        "invalid_owners", "'owners' must be a list of names, such as [\"marketing\"].", "owners");
            }
            list.forEach(o -> owners.add(o.asText()));
        }
        AudienceDefinition d = new AudienceDefinition(
                key, text(body, "name"), text(body, "description"), List.copyOf(owners), text(body, "condition"));
        String problem = d.problem();
        if (problem != null) {
            throw new BadRequest("invalid_audience", capitalised(problem), null);
        }
        expressions.compile(d.condition(), Vocabulary.AUDIENCE, "condition");
        return d;
    }

    /** What is wrong with the definition, or null. */
    String problem() {
        if (key == null || !KEY.matcher(key).matches()) {
            return "an audience needs a 'key' of " + KEY_RULE + ", such as 'big_spenders'.";
        }
        if (name == null || name.isBlank()) {
            return "the audience '" + key + "' needs a 'name' people will read, such as 'Big spenders'.";
        }
        if (owners.isEmpty()) {
            return "the audience '" + key
                    + "' needs 'owners': the team or people who answer for it, such as [marketing].";
        }
        if (condition == null || condition.isBlank()) {
            return "the audience '" + key + "' needs a 'condition' in CEL, such as 'computed.orders_30d >= 2'.";
        }
        return null;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadRequest("invalid_" + field, "'" + field + "' must be a string.", field);
        }
        return v.asText();
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
