package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tandem.expr.Facts;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A change's tier, from the change rules over what it changes ({@code change.kind}, {@code fields},
 * {@code object}, {@code author} and the kind's facts), and whether it applies without approvals:
 * low tier, the admin token while it may, or a workspace with nobody to approve.
 */
final class Assessor {
    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final ChangeRules rules;
    private final boolean adminTokenApplies;
    private final BooleanSupplier anyone;

    Assessor(ChangeRules rules, boolean adminTokenApplies, BooleanSupplier anyone) {
        this.rules = rules;
        this.adminTokenApplies = adminTokenApplies;
        this.anyone = anyone;
    }

    ChangeRules rules() {
        return rules;
    }

    /** @param kindFacts what the object's kind says of the declaration (or, for a removal, of what was live) */
    ChangeRules.Assessed assess(
            Change.Target what,
            Change.Author author,
            JsonNode declaration,
            JsonNode previous,
            JsonNode diff,
            Map<String, Object> kindFacts) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("kind", what.kind());
        vars.put("key", what.key());
        vars.put("action", what.action());
        vars.put("origin", what.origin());
        vars.put("fields", Diff.paths(diff));
        vars.put("object", Facts.json(declaration == null ? JsonNodeFactory.instance.objectNode() : declaration));
        vars.put("previous", Facts.json(previous == null ? JsonNodeFactory.instance.objectNode() : previous));
        Map<String, Object> who = new HashMap<>();
        who.put("caller", author.caller());
        who.put("person", author.person() == null ? "" : author.person());
        who.put("side", author.side() == null ? "" : author.side());
        vars.put("author", who);
        vars.putAll(kindFacts);
        return rules.assess(vars);
    }

    /** The kind's facts as a change keeps them; null when there are none. */
    static JsonNode kept(Map<String, Object> kindFacts) {
        return kindFacts == null || kindFacts.isEmpty() ? null : PLAIN.valueToTree(kindFacts);
    }

    /** Why a change applies at once, in words; null when it waits for approvals. */
    String immediately(Tier tier, Change.Author author) {
        if (tier == Tier.LOW) {
            return "Low tier: applied at once.";
        }
        if (author.caller().equals("admin") && adminTokenApplies) {
            return "Made with the admin token, which applies changes at once (server setting adminTokenApplies).";
        }
        if (!anyone.getAsBoolean()) {
            return "Applied at once: the workspace has no people yet, so nobody could approve it.";
        }
        return null;
    }
}
