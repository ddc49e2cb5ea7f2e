package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.FieldPath;
import dev.tandem.config.LocatedYaml;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A mapping file for {@code tandem import}: how each row of a CSV or JSON Lines file becomes one
 * event (see docs/import.md). Read once, with every mistake reported with its line and the fix.
 *
 * @param format    CSV or JSON Lines; null to tell from the file name
 * @param delimiter the CSV delimiter (default ',')
 * @param columns   the CSV column names when the file has no header row, else empty
 * @param unmapped  where columns that no rule reads go
 * @param rules     the event fields, in file order
 */
record ImportMapping(Format format, char delimiter, List<String> columns, Unmapped unmapped, List<ImportRule> rules) {
    enum Format {
        CSV,
        JSONL
    }

    enum Unmapped {
        IGNORE,
        TRAITS,
        PROPERTIES
    }

    static final Set<String> SINGLE = Set.of(
            "type",
            "event",
            "userId",
            "anonymousId",
            "timestamp",
            "messageId",
            "groupId",
            "previousId",
            "name",
            "category");
    static final Set<String> NESTED = Set.of("traits", "properties", "context");
    private static final Set<String> TOP = Set.of("format", "delimiter", "columns", "unmapped", "fields");
    private static final Set<String> RULE = Set.of("from", "value", "as", "format", "zone", "default", "required");
    private static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");

    static ImportMapping read(Path file) {
        LocatedYaml yaml = LocatedYaml.read(file);
        ConfigNode root = new ConfigNode(yaml.root(), "", yaml::error);
        root.fields(TOP, "the mapping");
        ConfigNode format = root.get("format");
        ConfigNode delimiter = root.get("delimiter");
        ConfigNode columns = root.get("columns");
        ConfigNode unmapped = root.get("unmapped");
        ConfigNode fields = root.get("fields");
        if (fields.isMissing()) {
            throw fields.error("the mapping needs 'fields', such as 'fields: { type: { value: track }, userId: id }'.");
        }
        List<ImportRule> rules = new ArrayList<>();
        for (var entry : fields.fields(null, "'fields'")) {
            rules.add(rule(entry.getKey(), entry.getValue()));
        }
        if (rules.stream().noneMatch(r -> r.target().toString().equals("type"))) {
            throw fields.error(
                    "the mapping must set 'type', such as 'type: { value: track }' or 'type: kind' (a column).");
        }
        return new ImportMapping(
                format.isMissing() ? null : enumOf(Format.class, format, "'format' (csv or jsonl)"),
                delimiter.isMissing() ? ',' : delimiter(delimiter),
                columns.isMissing() ? List.of() : columns(columns),
                unmapped.isMissing()
                        ? Unmapped.IGNORE
                        : enumOf(Unmapped.class, unmapped, "'unmapped' (ignore, traits or properties)"),
                List.copyOf(rules));
    }

    /** The columns or top-level fields the rules read, for {@link Unmapped}. */
    Set<String> columnsRead() {
        Set<String> read = new LinkedHashSet<>();
        for (ImportRule r : rules) {
            if (r.from() != null) {
                read.add(r.from());
            }
        }
        return read;
    }

    private static ImportRule rule(String target, ConfigNode node) {
        FieldPath path = FieldPath.of(target);
        String first = path.steps().get(0);
        if (!(SINGLE.contains(first) && path.steps().size() == 1) && !NESTED.contains(first)
                || path.steps().stream().anyMatch(String::isEmpty)) {
            throw node.error("'" + target + "' is not an event field; use one of " + SINGLE
                    + ", or traits.NAME, properties.NAME, context.NAME.");
        }
        if (node.node() != null && node.node().isTextual()) {
            return new ImportRule(
                    path, node.text("a column"), null, implied(first), new ImportRule.TimeFormat.Iso(), null, false);
        }
        node.fields(RULE, "the rule for '" + target + "'");
        ConfigNode from = node.get("from");
        ConfigNode value = node.get("value");
        if (from.isMissing() == value.isMissing()) {
            throw node.error(
                    "give '" + target + "' either 'from' (a column or field) or 'value' (a constant), not both.");
        }
        ImportRule.As as = node.get("as").isMissing()
                ? implied(first)
                : enumOf(
                        ImportRule.As.class,
                        node.get("as"),
                        "'as' (string, number, integer, boolean, timestamp or json)");
        if (first.equals("type")
                && !value.isMissing()
                && !TYPES.contains(value.node().asText())) {
            throw value.error("'type' must be one of " + TYPES + ".");
        }
        ConfigNode fallback = node.get("default");
        return new ImportRule(
                path,
                from.isMissing() ? null : from.text("'from'"),
                value.isMissing() ? null : value.node(),
                as,
                timeFormat(node.get("format"), node.get("zone")),
                fallback.isMissing() ? null : fallback.node(),
                !node.get("required").isMissing() && node.get("required").bool("'required'"));
    }

    private static ImportRule.As implied(String first) {
        return switch (first) {
            case "timestamp" -> ImportRule.As.TIMESTAMP;
            case "traits", "properties", "context" -> ImportRule.As.AS_IS;
            default -> ImportRule.As.STRING;
        };
    }

    private static ImportRule.TimeFormat timeFormat(ConfigNode format, ConfigNode zone) {
        ZoneId zoneId = ZoneOffset.UTC;
        if (!zone.isMissing()) {
            try {
                zoneId = ZoneId.of(zone.text("'zone'"));
            } catch (java.time.DateTimeException e) {
                throw zone.error("'zone' must be a time zone such as UTC, +02:00 or Europe/Paris.");
            }
        }
        if (format.isMissing()) {
            return new ImportRule.TimeFormat.Iso();
        }
        String text = format.text("'format'");
        return switch (text) {
            case "iso" -> new ImportRule.TimeFormat.Iso();
            case "unix" -> new ImportRule.TimeFormat.Epoch(false);
            case "unix_ms" -> new ImportRule.TimeFormat.Epoch(true);
            default -> {
                try {
                    DateTimeFormatter formatter = new DateTimeFormatterBuilder()
                            .appendPattern(text)
                            .parseDefaulting(ChronoField.ERA, 1)
                            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                            .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                            .toFormatter(Locale.ROOT)
                            .withResolverStyle(ResolverStyle.STRICT)
                            .withZone(zoneId);
                    yield new ImportRule.TimeFormat.Pattern(text, formatter, zoneId);
                } catch (IllegalArgumentException e) {
                    throw format.error("'format' must be iso, unix, unix_ms or a date-time pattern such as "
                            + "'dd/MM/yyyy HH:mm' (" + e.getMessage() + ").");
                }
            }
        };
    }

    private static char delimiter(ConfigNode node) {
        String text = node.node().asText();
        if (text.length() != 1 || text.charAt(0) == '"' || text.charAt(0) == '\n' || text.charAt(0) == '\r') {
            throw node.error(
                    "'delimiter' must be one character other than a quote or a line break, such as ',', ';' or \"\\t\".");
        }
        return text.charAt(0);
    }

    private static List<String> columns(ConfigNode node) {
        List<String> names = new ArrayList<>();
        for (ConfigNode c : node.list("'columns'")) {
            String name = c.text("a column name");
            if (names.contains(name)) {
                throw c.error("the column '" + name + "' is named twice.");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, ConfigNode node, String what) {
        JsonNode value = node.node();
        if (value != null && value.isTextual()) {
            for (E e : type.getEnumConstants()) {
                if (e.name()
                                .replace("_", "")
                                .equalsIgnoreCase(
                                        value.asText().replace("_", "").replace("-", ""))
                        && !e.name().equals("AS_IS")) {
                    return e;
                }
            }
        }
        throw node.error(what + " is " + value + "; use one of the values named.");
    }
}
