package dev.tandem.decide;

import dev.tandem.config.ConfigNode;
import dev.tandem.error.BadRequest;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Vocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code placements} section of tandem.yaml.
 *
 * <pre>
 * placements:
 *   - key: home_hero
 *     name: Home page hero
 *     owners: [marketing]
 *     rules:                                   # in order; the first that holds wins
 *       - name: Big spenders see the private sale
 *         when: '"big_spenders" in audiences'
 *         variant: private_sale
 *         content: {headline: Your private sale}
 *     default: {variant: generic, content: {headline: New season}}
 *     experiment:                              # optional
 *       key: hero_copy
 *       name: Hero copy test
 *       goal: Order Completed                  # the event that counts as a conversion
 *       when: known                            # optional: who takes part; everyone by default
 *       variants:
 *         - {key: control, weight: 50, control: true}   # gets the default
 *         - {key: bold, weight: 50, content: {headline: Made for the trail}}
 * </pre>
 */
public final class PlacementConfig {
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private PlacementConfig() {}

    public static List<Placement> from(ConfigNode section, Expressions expressions) {
        List<Placement> placements = new ArrayList<>();
        if (section.isMissing()) {
            return placements;
        }
        Set<String> keys = new HashSet<>();
        Set<String> experiments = new HashSet<>();
        for (ConfigNode item : section.list("'placements'")) {
            Placement p = placement(item, expressions);
            if (!keys.add(p.key())) {
                throw item.get("key").error("the placement '" + p.key() + "' is declared twice.");
            }
            if (p.experiment() != null && !experiments.add(p.experiment().key())) {
                throw item.get("experiment")
                        .get("key")
                        .error("the experiment key '" + p.experiment().key() + "' is used twice.");
            }
            placements.add(p);
        }
        return List.copyOf(placements);
    }

    private static Placement placement(ConfigNode item, Expressions expressions) {
        String key = null;
        String name = null;
        List<String> owners = new ArrayList<>();
        List<Placement.Rule> rules = new ArrayList<>();
        Placement.Variant fallback = null;
        Experiment experiment = null;
        for (var f : item.fields(Set.of("key", "name", "owners", "rules", "default", "experiment"), "a placement")) {
            ConfigNode v = f.getValue();
            switch (f.getKey()) {
                case "key" -> key = key(v, "placement");
                case "name" -> name = v.text("'name'");
                case "owners" -> v.list("'owners'").forEach(o -> owners.add(o.text("each owner")));
                case "rules" -> {
                    for (ConfigNode r : v.list("'rules'")) {
                        rules.add(rule(r, expressions));
                    }
                }
                case "default" -> fallback = variant(v, "the default");
                case "experiment" -> experiment = experiment(v, expressions);
                default -> throw new IllegalStateException(f.getKey());
            }
        }
        if (key == null) {
            throw item.error("a placement needs a 'key', such as 'home_hero'.");
        }
        if (owners.isEmpty()) {
            throw item.error("the placement '" + key + "' needs 'owners', such as [marketing].");
        }
        if (fallback == null) {
            throw item.error("the placement '" + key + "' needs a 'default' for visitors no rule matches, such as "
                    + "{variant: generic, content: {...}}.");
        }
        return new Placement(
                key, name == null ? key : name, List.copyOf(owners), List.copyOf(rules), fallback, experiment);
    }

    private static Placement.Rule rule(ConfigNode item, Expressions expressions) {
        String name = null;
        Expression when = null;
        for (var f : item.fields(Set.of("name", "when", "variant", "content"), "a rule")) {
            switch (f.getKey()) {
                case "name" -> name = f.getValue().text("'name'");
                case "when" -> when = compile(f.getValue(), expressions);
                default -> {}
            }
        }
        if (when == null) {
            throw item.error("a rule needs 'when', a CEL condition such as '\"big_spenders\" in audiences'.");
        }
        Placement.Variant variant = variant(item, "a rule");
        return new Placement.Rule(name == null ? when.source() : name, when, variant);
    }

    private static Placement.Variant variant(ConfigNode item, String what) {
        if (item.isMissing() || !item.node().isObject()) {
            throw item.error(what + " must be a mapping with 'variant' and 'content'.");
        }
        ConfigNode variant = item.get("variant");
        if (variant.isMissing()) {
            throw item.error(what + " needs 'variant', the name reported back with its content.");
        }
        ConfigNode content = item.get("content");
        return new Placement.Variant(variant.text("'variant'"), content.isMissing() ? null : content.node());
    }

    private static Experiment experiment(ConfigNode item, Expressions expressions) {
        String key = null;
        String name = null;
        String goal = null;
        Expression eligible = null;
        List<Experiment.Arm> arms = new ArrayList<>();
        for (var f : item.fields(Set.of("key", "name", "goal", "when", "variants"), "an experiment")) {
            ConfigNode v = f.getValue();
            switch (f.getKey()) {
                case "key" -> key = key(v, "experiment");
                case "name" -> name = v.text("'name'");
                case "goal" -> goal = v.text("'goal'");
                case "when" -> eligible = compile(v, expressions);
                case "variants" -> {
                    Set<String> seen = new HashSet<>();
                    for (ConfigNode a : v.list("'variants'")) {
                        Experiment.Arm arm = arm(a);
                        if (!seen.add(arm.key())) {
                            throw a.error("the variant '" + arm.key() + "' is declared twice.");
                        }
                        arms.add(arm);
                    }
                }
                default -> throw new IllegalStateException(f.getKey());
            }
        }
        if (key == null || goal == null) {
            throw item.error(
                    "an experiment needs a 'key' and a 'goal' (the event name that counts as a conversion, such as 'Order Completed').");
        }
        if (arms.size() < 2 || arms.stream().filter(Experiment.Arm::control).count() != 1) {
            throw item.error("the experiment '" + key
                    + "' needs two or more 'variants', exactly one of them with 'control: true'.");
        }
        if (arms.stream().mapToInt(Experiment.Arm::weight).sum() == 0) {
            throw item.error("the experiment '" + key + "' has all weights 0; give at least one variant a weight.");
        }
        return new Experiment(key, name == null ? key : name, goal, eligible, List.copyOf(arms));
    }

    private static Experiment.Arm arm(ConfigNode item) {
        String key = null;
        int weight = 1;
        boolean control = false;
        for (var f : item.fields(Set.of("key", "weight", "control", "content"), "a variant")) {
            ConfigNode v = f.getValue();
            switch (f.getKey()) {
                case "key" -> key = key(v, "variant");
                case "weight" -> weight = v.intIn(0, 1_000_000, "'weight'");
                case "control" -> control = v.bool("'control'");
                default -> {}
            }
        }
        if (key == null) {
            throw item.error("a variant needs a 'key', such as 'bold_copy'.");
        }
        ConfigNode content = item.get("content");
        if (control && !content.isMissing()) {
            throw content.error("the control variant gets the placement's default; remove its 'content'.");
        }
        if (!control && content.isMissing()) {
            throw item.error("the variant '" + key + "' needs 'content'.");
        }
        return new Experiment.Arm(key, weight, control, control ? null : content.node());
    }

    private static String key(ConfigNode v, String what) {
        String key = v.text("'key'");
        if (!KEY.matcher(key).matches()) {
            throw v.error("a " + what
                    + " key is lower-case letters, digits and '_', starting with a letter, such as 'home_hero'.");
        }
        return key;
    }

    private static Expression compile(ConfigNode v, Expressions expressions) {
        try {
            return expressions.compile(v.text("a condition"), Vocabulary.DECISION, "when");
        } catch (BadRequest e) {
            throw v.error(e.getMessage());
        }
    }
}
