package dev.tandem.change;

import dev.tandem.config.ConfigNode;
import dev.tandem.config.LocatedYaml;
import dev.tandem.error.BadRequest;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code changes:} rules of the policy: CEL over {@code change} giving a change's risk tier. The
 * workspace's own rules come first, then Tandem's (policy/changes.yaml); the first whose {@code when}
 * holds decides, and a change no rule matches is medium. A rule that cannot be evaluated for a change
 * counts as holding unless it would lower the tier to low: the rules fail towards more approvals.
 * <pre>
 * policies:
 *   changes:
 *     - id: crm-is-high
 *       when: change.kind == "destination" &amp;&amp; change.key == "crm"
 *       tier: high
 *       reason: The CRM holds every customer's contact data.
 * </pre>
 */
public final class ChangeRules {
    private static final Set<String> RULE_FIELDS = Set.of("id", "when", "tier", "reason");

    record Rule(String id, Expression when, Tier tier, String reason) {}

    /** The tier a change gets and the rule that gave it. */
    record Assessed(Tier tier, String rule, String reason) {}

    private final List<Rule> rules;

    private ChangeRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Tandem's rules alone. */
    public static ChangeRules defaults(Expressions expressions) {
        return new ChangeRules(defaultPack(expressions));
    }

    /** The workspace's {@code policies.changes} (missing: none), then Tandem's. */
    public static ChangeRules from(ConfigNode section, Expressions expressions) {
        List<Rule> all = new ArrayList<>();
        if (!section.isMissing()) {
            all.addAll(rules(section, expressions));
        }
        all.addAll(defaultPack(expressions));
        Set<String> ids = new HashSet<>();
        for (Rule r : all) {
            if (!ids.add(r.id())) {
                throw section.error("two change rules have the id '" + r.id() + "'; give each its own id.");
            }
        }
        return new ChangeRules(all);
    }

    Assessed assess(Map<String, Object> change) {
        Map<String, Object> vars = Map.of("change", change);
        for (Rule rule : rules) {
            Expression.Outcome o = rule.when().evaluate(vars);
            if (o.matched() || (o.failed() && rule.tier() != Tier.LOW)) {
                return new Assessed(rule.tier(), rule.id(), rule.reason());
            }
        }
        return new Assessed(Tier.MEDIUM, "default", "No change rule matched: medium by default.");
    }

    List<Rule> rules() {
        return rules;
    }

    private static List<Rule> defaultPack(Expressions expressions) {
        try (InputStream in = ChangeRules.class.getResourceAsStream("/policy/changes.yaml")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            LocatedYaml yaml = LocatedYaml.parse(Path.of("policy/changes.yaml"), text);
            return rules(new ConfigNode(yaml.root().get("changes"), "/changes", yaml::error), expressions);
        } catch (IOException e) {
            throw new IllegalStateException("The default change rules are missing from the build", e);
        }
    }

    private static List<Rule> rules(ConfigNode list, Expressions expressions) {
        List<Rule> out = new ArrayList<>();
        for (ConfigNode item : list.list("'changes'")) {
            item.fields(RULE_FIELDS, "a change rule");
            String id = item.get("id").text("'id'");
            if (!id.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                throw item.get("id")
                        .error("a rule id is lower-case letters, digits, '-' and '_', such as 'crm-is-high'.");
            }
            Tier tier = Tier.named(item.get("tier").text("'tier'"))
                    .orElseThrow(() -> item.get("tier").error("'tier' must be low, medium or high."));
            ConfigNode when = item.get("when");
            Expression condition;
            try {
                condition = expressions.compile(when.text("'when'"), Vocabulary.CHANGE, "when");
            } catch (BadRequest e) {
                throw when.error(e.getMessage());
            }
            if (item.get("reason").isMissing()) {
                throw item.error("the change rule '" + id + "' needs a 'reason': a change says why it got its tier.");
            }
            out.add(new Rule(id, condition, tier, item.get("reason").text("'reason'")));
        }
        return out;
    }
}
