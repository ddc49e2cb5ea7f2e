package dev.tandem.journey;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.error.BadRequest;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.ValueExpression;
import dev.tandem.expr.Vocabulary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code journeys:} section of tandem.yaml. Everything wrong stops start-up naming the
 * field: a bad CEL expression, an unknown destination, a split whose percentages do not sum to 100,
 * an unknown step. Entry and goal expressions see an event as a destination's filter does; branch
 * conditions see the profile and the entry event, as a destination's mapping does.
 */
public final class JourneyDeclarations {
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Set<String> FIELDS =
            Set.of("key", "name", "owners", "version", "entry", "reentry", "holdout", "goal", "exitWhen", "steps");
    static final Set<String> STEPS = Set.of("wait", "wait_for", "branch", "split", "send", "update", "exit");

    private final Expressions expressions;
    private final Set<String> destinations;
    private final EntryReader entries;

    private JourneyDeclarations(Expressions expressions, Set<String> destinations) {
        this.expressions = expressions;
        this.destinations = destinations;
        this.entries = new EntryReader(this::event, this::entryKey);
    }

    /** The journeys of the section (missing: none), checked against the destinations tandem.yaml declares. */
    public static List<Journey> from(ConfigNode section, Expressions expressions, Set<String> destinations) {
        List<Journey> out = new ArrayList<>();
        if (section.isMissing()) {
            return out;
        }
        JourneyDeclarations reader = new JourneyDeclarations(expressions, destinations);
        Set<String> keys = new HashSet<>();
        for (ConfigNode item : section.list("'journeys'")) {
            JourneyDefinition d = reader.journey(item);
            if (!keys.add(d.key())) {
                throw item.get("key").error("the journey key '" + d.key() + "' is used twice; keys must be unique.");
            }
            out.add(new Journey(d));
        }
        return out;
    }

    /** One journey read back from a stored declaration (its destinations are checked when it sends). */
    static Journey one(ConfigNode node, Expressions expressions) {
        return one(node, expressions, null);
    }

    /** One journey checked against {@code destinations} (null: not checked), as a change proposes it. */
    static Journey one(ConfigNode node, Expressions expressions, Set<String> destinations) {
        return new Journey(new JourneyDeclarations(expressions, destinations).journey(node));
    }

    /** The {@code frequencyCaps:} section: sends per profile per local day, by channel, such as { email: 2 }. */
    public static Map<String, Integer> caps(ConfigNode section) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        if (section.isMissing()) {
            return out;
        }
        for (var e : section.fields(null, "'frequencyCaps' (channel: sends per profile per day)")) {
            out.put(e.getKey(), e.getValue().intIn(1, 1000, "a frequency cap"));
        }
        return out;
    }

    private JourneyDefinition journey(ConfigNode node) {
        node.fields(FIELDS, "a journey");
        String key = node.get("key").text("a journey's 'key'");
        if (!KEY.matcher(key).matches()) {
            throw node.get("key")
                    .error("a journey's 'key' must be lower-case letters, digits, '-' and '_', such as 'welcome'.");
        }
        String name = node.get("name").isMissing() ? key : node.get("name").text("'name'");
        List<String> owners = new ArrayList<>();
        for (ConfigNode o : node.get("owners").isMissing()
                ? failOwners(node)
                : node.get("owners").list("'owners'")) {
            owners.add(o.text("an owner"));
        }
        if (owners.isEmpty()) {
            failOwners(node);
        }
        int version = node.get("version").isMissing() ? 1 : node.get("version").intIn(1, 1_000_000, "'version'");
        int holdout = node.get("holdout").isMissing() ? 0 : node.get("holdout").intIn(0, 99, "'holdout' (a percent)");
        List<Step> steps = steps(node.get("steps"));
        if (steps.isEmpty()) {
            throw node.get("steps").error("a journey needs at least one step.");
        }
        return new JourneyDefinition(
                key,
                name,
                owners,
                version,
                entries.entry(node.get("entry")),
                reentry(node.get("reentry")),
                holdout,
                goal(node.get("goal")),
                entries.exitWhen(node.get("exitWhen")),
                steps,
                node.node());
    }

    private static List<ConfigNode> failOwners(ConfigNode node) {
        throw node.get("owners").error("a journey needs 'owners', such as [marketing, it]: who answers for it.");
    }

    private ValueExpression entryKey(ConfigNode node, String what) {
        try {
            return expressions.compileValue(node.text(what), Vocabulary.DELIVERY, "entry.key");
        } catch (BadRequest e) {
            throw node.error(e.getMessage());
        }
    }

    private static JourneyDefinition.Reentry reentry(ConfigNode node) {
        if (node.isMissing()) {
            return JourneyDefinition.Reentry.ONCE;
        }
        String text = node.text("'reentry'");
        if (text.equals("once") || text.equals("always")) {
            return new JourneyDefinition.Reentry(text, null);
        }
        if (text.startsWith("after ")) {
            ConfigNode d = new ConfigNode(
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(
                            text.substring(6).trim()),
                    node.path(),
                    node.problems());
            return new JourneyDefinition.Reentry("after", d.duration("the interval of 'reentry: after'"));
        }
        throw node.error("'reentry' must be once, always, or 'after <duration>' such as 'after 30d'.");
    }

    private JourneyDefinition.Goal goal(ConfigNode node) {
        if (node.isMissing()) {
            return null;
        }
        node.fields(Set.of("event", "within"), "'goal'");
        return new JourneyDefinition.Goal(
                event(node.get("event"), "the goal's 'event'"),
                node.get("within").duration("the goal's 'within'"));
    }

    private Expression event(ConfigNode node, String what) {
        try {
            return expressions.compile(node.text(what), Vocabulary.DELIVERY, node.path());
        } catch (BadRequest e) {
            throw node.error(e.getMessage());
        }
    }

    Expression condition(ConfigNode node, String what) {
        try {
            return expressions.compile(node.text(what), Vocabulary.MAPPING, node.path());
        } catch (BadRequest e) {
            throw node.error(e.getMessage());
        }
    }

    private List<Step> steps(ConfigNode node) {
        if (node.isMissing()) {
            throw node.error("a journey needs 'steps', a list such as [ { send: {...} }, { wait: 2d } ].");
        }
        List<Step> out = new ArrayList<>();
        for (ConfigNode item : node.list("'steps'")) {
            out.add(step(item));
        }
        return out;
    }

    private Step step(ConfigNode item) {
        if (item.isMissing() || !item.node().isObject() || item.node().size() != 1) {
            throw item.error("each step is a mapping with one of " + STEPS + ", such as '- wait: 2d'.");
        }
        var entry = item.fields(STEPS, "a step").iterator().next();
        ConfigNode v = entry.getValue();
        return switch (entry.getKey()) {
            case "wait" -> StepReader.waitStep(v);
            case "wait_for" -> entries.waitFor(v, this::steps);
            case "branch" -> branch(v);
            case "split" -> split(v);
            case "send" -> send(v);
            case "update" -> update(v);
            default -> new Step.Exit(v.isMissing() ? "exit" : v.text("'exit' (a reason)"));
        };
    }

    private Step branch(ConfigNode node) {
        List<Step.Case> cases = new ArrayList<>();
        for (ConfigNode c : node.list("'branch' (a list of cases with 'when' and 'steps')")) {
            c.fields(Set.of("when", "otherwise", "steps"), "a branch case");
            Expression when = c.get("when").isMissing() ? null : condition(c.get("when"), "'when'");
            if (when == null && c.get("otherwise").isMissing()) {
                throw c.error(
                        "a branch case needs 'when' (CEL over the profile and the entry event), or 'otherwise: true'.");
            }
            cases.add(
                    new Step.Case(when == null ? "otherwise" : "case " + cases.size(), when, 0, steps(c.get("steps"))));
        }
        return new Step.Branch(cases);
    }

    private Step split(ConfigNode node) {
        List<Step.Case> arms = new ArrayList<>();
        int sum = 0;
        for (ConfigNode a : node.list("'split' (a list of arms with 'percent' and 'steps')")) {
            a.fields(Set.of("name", "percent", "steps"), "a split arm");
            int percent = a.get("percent").intIn(1, 100, "'percent'");
            sum += percent;
            String name = a.get("name").isMissing()
                    ? "arm " + arms.size()
                    : a.get("name").text("'name'");
            arms.add(new Step.Case(name, null, percent, steps(a.get("steps"))));
        }
        if (sum != 100) {
            throw node.error("the percentages of a split must sum to 100; these sum to " + sum + ".");
        }
        return new Step.Split(arms);
    }

    private Step send(ConfigNode node) {
        node.fields(Set.of("destination", "message", "channel", "exempt"), "'send'");
        String destination = node.get("destination").text("'destination'");
        if (destinations != null && !destinations.contains(destination)) {
            throw node.get("destination")
                    .error("unknown destination '" + destination + "'; declare it under 'destinations' (known: "
                            + new java.util.TreeSet<>(destinations) + ").");
        }
        ConfigNode message = node.get("message");
        if (!message.isMissing() && !message.node().isObject()) {
            throw message.error("'message' must be a mapping, such as { template: welcome_1 }.");
        }
        return new Step.Send(
                destination,
                message.isMissing() ? dev.tandem.config.Json.mapper().createObjectNode() : (ObjectNode) message.node(),
                node.get("channel").isMissing()
                        ? destination
                        : node.get("channel").text("'channel'"),
                !node.get("exempt").isMissing() && node.get("exempt").bool("'exempt'"));
    }

    private Step update(ConfigNode node) {
        node.fields(Set.of("trait", "value"), "'update'");
        String trait = node.get("trait").text("'trait'");
        try {
            return new Step.Update(
                    trait,
                    expressions.compileValue(
                            node.get("value").text("'value'"), Vocabulary.MAPPING, node.path() + "/value"));
        } catch (BadRequest e) {
            throw node.get("value").error(e.getMessage());
        }
    }

    static Duration signed(ConfigNode node, String what) {
        String text = node.isMissing() ? "" : node.node().asText().trim();
        boolean negative = text.startsWith("-");
        ConfigNode unsigned = new ConfigNode(
                com.fasterxml.jackson.databind.node.TextNode.valueOf(negative ? text.substring(1) : text),
                node.path(),
                node.problems());
        Duration d = unsigned.duration(what);
        return negative ? d.negated() : d;
    }
}
