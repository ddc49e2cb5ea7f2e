package dev.tandem.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.error.TandemException;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.ValueExpression;
import dev.tandem.expr.Vocabulary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One KPI as declared: its key, what it is about (name, owners, target), what it measures and the
 * dimensions it is broken down by ({@code by}: a name to a CEL expression over the event). The
 * declaration is kept as it was given, for the API and for changes. Read from tandem.yaml and from
 * the API by the same {@link #from}, so both refuse the same things with the same words.
 */
record KpiDefinition(String key, About about, Measure measure, Map<String, ValueExpression> by, JsonNode declaration) {
    static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    static final Pattern DIMENSION = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    static final int MAX_DIMENSIONS = 8;
    static final List<String> TYPES = List.of("nps", "top_box", "mean", "count", "sum", "ratio", "conversion");
    private static final Set<String> FIELDS = Set.of(
            "key",
            "name",
            "description",
            "owners",
            "type",
            "events",
            "value",
            "by",
            "target",
            "scale",
            "box",
            "numerator",
            "denominator",
            "window");
    /** An expression reads the profile's audiences: then the stage looks them up for the events it counts. */
    private static final Pattern READS_AUDIENCES = Pattern.compile("\\baudiences\\b");

    /** Name, owners (teams, such as marketing and it) and the target the value is held against (null: none). */
    record About(String name, String description, List<String> owners, Double target) {}

    String type() {
        return measure.type();
    }

    /** Whether any of its expressions reads {@code audiences}. */
    boolean readsAudiences() {
        return READS_AUDIENCES.matcher(declaration.toString()).find();
    }

    static KpiDefinition from(ConfigNode node, Expressions expressions, DimensionGuard guard) {
        node.fields(FIELDS, "a KPI");
        String key = node.get("key").text("a KPI's 'key'");
        if (!KEY.matcher(key).matches()) {
            throw node.get("key")
                    .error("the KPI key '" + key + "' must be lower-case letters, digits, '_' or '-', "
                            + "starting with a letter, at most 64 characters, such as 'nps'.");
        }
        String type =
                node.get("type").isMissing() ? "" : node.get("type").node().asText();
        if (!TYPES.contains(type)) {
            throw node.get("type").error("the KPI type '" + type + "' is not known; use one of " + TYPES + ".");
        }
        About about = new About(
                node.get("name").text("a KPI's 'name'"),
                node.get("description").isMissing()
                        ? null
                        : node.get("description").text("'description'"),
                owners(node.get("owners")),
                node.get("target").isMissing() ? null : number(node.get("target"), "'target'"));
        Measure measure = measure(type, node, expressions);
        return new KpiDefinition(key, about, measure, dimensions(node.get("by"), expressions, guard), node.node());
    }

    private static Measure measure(String type, ConfigNode node, Expressions x) {
        Set<String> allowed = switch (type) {
            case "top_box" -> Set.of("events", "value", "scale", "box");
            case "count" -> Set.of("events");
            case "ratio" -> Set.of("numerator", "denominator");
            case "conversion" -> Set.of("numerator", "denominator", "window");
            default -> Set.of("events", "value");
        };
        for (String f : List.of("events", "value", "scale", "box", "numerator", "denominator", "window")) {
            if (!allowed.contains(f) && !node.get(f).isMissing()) {
                throw node.get(f).error("a KPI of type " + type + " takes no '" + f + "'; it takes " + allowed + ".");
            }
        }
        return switch (type) {
            case "nps" -> new Measure.Nps(condition(node.get("events"), x), value(node.get("value"), x));
            case "top_box" -> topBox(node, x);
            case "mean" -> new Measure.Mean(condition(node.get("events"), x), value(node.get("value"), x));
            case "count" -> new Measure.Count(condition(node.get("events"), x));
            case "sum" -> new Measure.Sum(condition(node.get("events"), x), value(node.get("value"), x));
            case "ratio" ->
                new Measure.Ratio(condition(node.get("numerator"), x), condition(node.get("denominator"), x));
            default ->
                new Measure.Conversion(
                        condition(node.get("numerator"), x),
                        condition(node.get("denominator"), x),
                        node.get("window").isMissing()
                                ? Duration.ofDays(7)
                                : node.get("window").duration("a conversion's 'window'"));
        };
    }

    private static Measure topBox(ConfigNode node, Expressions x) {
        Measure.Range scale = range(node.get("scale"), "'scale'");
        Measure.Range box = range(node.get("box"), "'box'");
        if (box.low() < scale.low() || box.high() > scale.high()) {
            throw node.get("box")
                    .error("the box [" + plain(box.low()) + ", " + plain(box.high())
                            + "] must lie within the scale [" + plain(scale.low()) + ", " + plain(scale.high())
                            + "], such as box: [4, 5] on scale: [1, 5].");
        }
        return new Measure.TopBox(condition(node.get("events"), x), value(node.get("value"), x), scale, box);
    }

    private static Measure.Range range(ConfigNode node, String what) {
        if (node.isMissing() || !node.node().isArray() || node.node().size() != 2) {
            throw node.error("a top_box KPI needs " + what + " as two numbers, low and high, such as [1, 5].");
        }
        double low = number(new ConfigNode(node.node().get(0), node.path() + "/0", node.problems()), what);
        double high = number(new ConfigNode(node.node().get(1), node.path() + "/1", node.problems()), what);
        if (low >= high) {
            throw node.error(what + " must go from low to high, such as [1, 5].");
        }
        return new Measure.Range(low, high);
    }

    private static List<String> owners(ConfigNode node) {
        if (node.isMissing()) {
            throw node.error("a KPI needs 'owners', the teams that agreed it, such as [marketing, it].");
        }
        Set<String> owners = new LinkedHashSet<>();
        for (ConfigNode o : node.list("'owners'")) {
            owners.add(o.text("each owner"));
        }
        if (owners.isEmpty()) {
            throw node.error("a KPI needs at least one owner, such as [marketing, it].");
        }
        return List.copyOf(owners);
    }

    private static Map<String, ValueExpression> dimensions(ConfigNode node, Expressions x, DimensionGuard guard) {
        Map<String, ValueExpression> by = new LinkedHashMap<>();
        if (node.isMissing()) {
            return by;
        }
        for (var e : node.fields(null, "'by'")) {
            if (!DIMENSION.matcher(e.getKey()).matches()) {
                throw e.getValue()
                        .error(
                                "the dimension name '" + e.getKey()
                                        + "' must be lower-case letters, digits or '_', starting with a letter, such as touchpoint.");
            }
            ValueExpression v = value(e.getValue(), x);
            guard.check(e.getValue(), e.getKey(), v.source());
            by.put(e.getKey(), v);
        }
        if (by.size() > MAX_DIMENSIONS) {
            throw node.error("a KPI has at most " + MAX_DIMENSIONS + " dimensions; this one has " + by.size() + ".");
        }
        return by;
    }

    private static Expression condition(ConfigNode node, Expressions x) {
        String source = node.text("the KPI's " + last(node.path()) + " (a CEL condition over the event)");
        try {
            return x.compile(source, Vocabulary.KPI, last(node.path()));
        } catch (TandemException e) {
            throw node.error(e.getMessage());
        }
    }

    private static ValueExpression value(ConfigNode node, Expressions x) {
        String source = node.text("the KPI's " + last(node.path()) + " (a CEL expression over the event)");
        try {
            return x.compileValue(source, Vocabulary.KPI, last(node.path()));
        } catch (TandemException e) {
            throw node.error(e.getMessage());
        }
    }

    static double number(ConfigNode node, String what) {
        if (node.isMissing() || !node.node().isNumber()) {
            throw node.error(what + " must be a number.");
        }
        return node.node().asDouble();
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Every KPI of a {@code kpis:} section, keys unique. */
    static List<KpiDefinition> all(ConfigNode section, Expressions x, DimensionGuard guard) {
        List<KpiDefinition> out = new ArrayList<>();
        if (section.isMissing()) {
            return out;
        }
        Set<String> keys = new LinkedHashSet<>();
        for (ConfigNode item : section.list("'kpis'")) {
            KpiDefinition d = from(item, x, guard);
            if (!keys.add(d.key())) {
                throw item.get("key").error("the KPI key '" + d.key() + "' is used twice; keys must be unique.");
            }
            out.add(d);
        }
        return out;
    }
}
