package dev.tandem.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.FieldPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the identifiers of one event under the rules: each type from its paths, plus
 * {@code context.externalIds[]}; values normalised, invalid and blocked ones left out and
 * counted. The result is in priority order, highest first, without repeats. Holds nothing but the
 * rules, so any thread may use it: what it leaves out is counted in the caller's {@link Tally}.
 */
final class IdentifierExtractor {
    private final IdentityRules rules;
    private final Comparator<Identifier> byPriority;

    /** Values left out of one event's identifiers: blocked by the blocklist, or not normalising. */
    static final class Tally {
        int blocked;
        int invalid;
    }

    IdentifierExtractor(IdentityRules rules) {
        this.rules = rules;
        this.byPriority = Comparator.comparingInt(i -> rules.rank(i.type()));
    }

    List<Identifier> extract(JsonNode event, Tally tally) {
        List<Identifier> found = new ArrayList<>(6);
        for (IdentifierType type : rules.types()) {
            for (FieldPath path : type.paths()) {
                JsonNode value = path.in(event);
                if (value != null && value.isValueNode() && !value.isNull()) {
                    add(found, type.name(), type.normalization(), value.asText(), tally);
                    break;
                }
            }
        }
        JsonNode external = event.path("context").path("externalIds");
        if (external.isArray()) {
            for (JsonNode item : external) {
                String type = item.path("type").asText("");
                JsonNode id = item.get("id");
                if (IdentityRules.validTypeName(type) && id != null && id.isValueNode() && !id.isNull()) {
                    IdentifierType declared = rules.type(type);
                    add(
                            found,
                            type,
                            declared == null ? Normalization.ID : declared.normalization(),
                            id.asText(),
                            tally);
                }
            }
        }
        found.sort(byPriority);
        return found;
    }

    /** Normalises one raw value of a type; null (and counted) when invalid or blocked. */
    Identifier identifier(String type, Normalization normalization, String raw, Tally tally) {
        String value = normalization.normalize(raw, rules.phoneRegion());
        if (value == null) {
            tally.invalid++;
            return null;
        }
        if (rules.blocked().blocks(value)) {
            tally.blocked++;
            return null;
        }
        return new Identifier(type, value);
    }

    private void add(List<Identifier> found, String type, Normalization normalization, String raw, Tally tally) {
        Identifier id = identifier(type, normalization, raw, tally);
        if (id != null && !found.contains(id)) {
            found.add(id);
        }
    }
}
