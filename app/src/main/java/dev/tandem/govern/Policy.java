package dev.tandem.govern;

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
import java.util.Set;

/**
 * The rules the gate runs: Tandem's default pack (policy/default.yaml) unless {@code pack: none},
 * with the workspace's own rules after it. A policy is written as:
 * <pre>
 * pack: default            # or none
 * rules:
 *   - id: hash-contact-for-ads
 *     when: '"advertising" in flow.purposes'
 *     fields: 'field.class == "personal" &amp;&amp; field.name in ["email", "phone"]'
 *     effect: hash          # deny, allow, drop, hash, mask, truncate_ip, coarsen
 *     reason: Ad platforms match on SHA-256 of the normalised email and phone.
 * </pre>
 */
public record Policy(List<PolicyRule> rules) {
    private static final Set<String> FIELDS = Set.of("pack", "rules", "examples", "changes");
    private static final Set<String> RULE_FIELDS = Set.of("id", "when", "fields", "effect", "reason", "to");
    private static final Set<String> COARSE = Set.of("year", "month", "0", "1", "2");

    /** The default pack alone. */
    public static Policy defaults(Expressions expressions) {
        return from(new ConfigNode(null, "/policies", (p, m) -> new IllegalStateException(m)), expressions);
    }

    /** A policy section (of tandem.yaml or a policy file); the default pack comes first unless it says {@code pack: none}. */
    public static Policy from(ConfigNode section, Expressions expressions) {
        List<PolicyRule> rules = new ArrayList<>();
        boolean pack = true;
        if (!section.isMissing()) {
            section.fields(FIELDS, "the policy (pack, rules, examples, changes)");
            ConfigNode p = section.get("pack");
            if (!p.isMissing()) {
                String name = p.text("'pack'");
                if (!name.equals("default") && !name.equals("none")) {
                    throw p.error("'pack' must be 'default' (Tandem's rules first) or 'none'.");
                }
                pack = name.equals("default");
            }
        }
        if (pack) {
            rules.addAll(defaultPack(expressions));
        }
        if (!section.isMissing() && !section.get("rules").isMissing()) {
            rules.addAll(rules(section.get("rules"), expressions));
        }
        Set<String> ids = new HashSet<>();
        for (PolicyRule r : rules) {
            if (!ids.add(r.id())) {
                throw section.error("two rules have the id '" + r.id() + "'; give each rule its own id.");
            }
        }
        return new Policy(List.copyOf(rules));
    }

    private static List<PolicyRule> defaultPack(Expressions expressions) {
        try (InputStream in = Policy.class.getResourceAsStream("/policy/default.yaml")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            LocatedYaml yaml = LocatedYaml.parse(Path.of("policy/default.yaml"), text);
            return rules(new ConfigNode(yaml.root().get("rules"), "/rules", yaml::error), expressions);
        } catch (IOException e) {
            throw new IllegalStateException("The default policy pack is missing from the build", e);
        }
    }

    private static List<PolicyRule> rules(ConfigNode list, Expressions expressions) {
        List<PolicyRule> out = new ArrayList<>();
        for (ConfigNode item : list.list("'rules'")) {
            item.fields(RULE_FIELDS, "a policy rule");
            String id = item.get("id").text("'id'");
            if (!id.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                throw item.get("id")
                        .error("a rule id is lower-case letters, digits, '-' and '_', such as 'hash-contact-for-ads'.");
            }
            Effect effect = Effect.named(item.get("effect").text("'effect'"));
            if (effect == null) {
                throw item.get("effect")
                        .error("'effect' must be deny, allow, drop, hash, mask, truncate_ip or coarsen.");
            }
            Expression when = expression(item.get("when"), Vocabulary.POLICY, expressions);
            Expression fields = expression(item.get("fields"), Vocabulary.POLICY_FIELD, expressions);
            if (effect.isObligation() && fields == null) {
                throw item.error("the rule '" + id + "' has the obligation '" + effect.wireName()
                        + "' but no 'fields' to apply it to; add fields: 'field.class == \"personal\"' or similar.");
            }
            if (!effect.isObligation() && fields != null) {
                throw item.get("fields")
                        .error("'" + effect.wireName()
                                + "' decides the whole flow; remove 'fields', or use an obligation.");
            }
            String to = null;
            if (effect == Effect.COARSEN) {
                to = item.get("to").isMissing() ? "year" : item.get("to").text("'to'");
                if (!COARSE.contains(to)) {
                    throw item.get("to")
                            .error("'to' must be year or month (dates) or 0, 1 or 2 decimals (coordinates).");
                }
            }
            String reason =
                    item.get("reason").isMissing() ? null : item.get("reason").text("'reason'");
            if (reason == null) {
                throw item.error(
                        "the rule '" + id + "' needs a 'reason': decisions explain themselves in the reasons' words.");
            }
            out.add(new PolicyRule(id, reason, when, fields, effect, to));
        }
        return out;
    }

    private static Expression expression(ConfigNode node, Vocabulary vocabulary, Expressions expressions) {
        if (node.isMissing()) {
            return null;
        }
        String source = node.text("the condition");
        try {
            return expressions.compile(
                    source, vocabulary, node.path().substring(node.path().lastIndexOf('/') + 1));
        } catch (BadRequest e) {
            throw node.error(e.getMessage());
        }
    }
}
