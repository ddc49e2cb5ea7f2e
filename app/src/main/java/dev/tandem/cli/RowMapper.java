package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tandem.config.FieldPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a mapping to rows: CSV rows once the header (or the mapping's {@code columns}) has named
 * the columns, or JSON Lines objects. Builds the event as Tandem's tracking API takes it; whether it
 * is a valid event is for Tandem to say.
 */
final class RowMapper {
    private final ImportMapping mapping;
    private final List<String> header;
    private final int[] columnOf;
    private final List<Integer> unmappedColumns = new ArrayList<>();
    private final Set<String> readFields = new HashSet<>();
    private final FieldPath[] paths;

    /** @param header the column names for CSV, or null for JSON Lines */
    RowMapper(ImportMapping mapping, List<String> header) {
        this.mapping = mapping;
        this.header = header;
        this.columnOf = new int[mapping.rules().size()];
        this.paths = new FieldPath[mapping.rules().size()];
        for (int i = 0; i < paths.length; i++) {
            String from = mapping.rules().get(i).from();
            paths[i] = from == null ? null : FieldPath.of(from);
        }
        if (header != null) {
            for (int i = 0; i < mapping.rules().size(); i++) {
                String from = mapping.rules().get(i).from();
                columnOf[i] = from == null ? -1 : header.indexOf(from);
                if (from != null && columnOf[i] < 0) {
                    throw new CommandFailure("The mapping reads the column '" + from
                            + "', which the file does not have; its columns are " + header + ".");
                }
            }
            Set<String> read = mapping.columnsRead();
            for (int i = 0; i < header.size(); i++) {
                if (!read.contains(header.get(i)) && !header.get(i).isBlank()) {
                    unmappedColumns.add(i);
                }
            }
        } else {
            for (ImportRule rule : mapping.rules()) {
                if (rule.from() != null) {
                    readFields.add(FieldPath.of(rule.from()).steps().get(0));
                }
            }
        }
    }

    /** The event of one CSV row. */
    ObjectNode csv(List<String> fields) {
        if (fields.size() != header.size()) {
            throw new RowRefused(
                    "wrong_column_count",
                    "The row has " + fields.size() + " columns; the header has " + header.size()
                            + ". Quote a field that holds the delimiter, such as \"Paris, France\".",
                    null);
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < columnOf.length; i++) {
            ImportRule rule = mapping.rules().get(i);
            set(event, rule.target(), rule.value(columnOf[i] < 0 ? null : TextNode.valueOf(fields.get(columnOf[i]))));
        }
        String into = unmappedTarget();
        if (into != null) {
            for (int i : unmappedColumns) {
                String cell = fields.get(i).trim();
                if (!cell.isEmpty()) {
                    set(event, new FieldPath(List.of(into, header.get(i))), TextNode.valueOf(cell));
                }
            }
        }
        return event;
    }

    /** The event of one JSON line. */
    ObjectNode json(JsonNode line) {
        if (!(line instanceof ObjectNode object)) {
            throw new RowRefused(
                    "not_an_object", "The line is JSON but not an object; write one {...} per line.", null);
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < paths.length; i++) {
            ImportRule rule = mapping.rules().get(i);
            set(event, rule.target(), rule.value(paths[i] == null ? null : paths[i].in(object)));
        }
        String into = unmappedTarget();
        if (into != null) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (!readFields.contains(field.getKey()) && !field.getValue().isNull()) {
                    set(event, new FieldPath(List.of(into, field.getKey())), field.getValue());
                }
            }
        }
        return event;
    }

    private String unmappedTarget() {
        return switch (mapping.unmapped()) {
            case IGNORE -> null;
            case TRAITS -> "traits";
            case PROPERTIES -> "properties";
        };
    }

    private static void set(ObjectNode event, FieldPath target, JsonNode value) {
        if (value == null) {
            return;
        }
        List<String> steps = target.steps();
        ObjectNode at = event;
        for (int i = 0; i < steps.size() - 1; i++) {
            JsonNode next = at.get(steps.get(i));
            if (next == null) {
                at = at.putObject(steps.get(i));
            } else if (next instanceof ObjectNode object) {
                at = object;
            } else {
                throw new RowRefused(
                        "mapping_conflict",
                        "The mapping sets '" + String.join(".", steps.subList(0, i + 1))
                                + "' to a value that is not an object, and also '" + target
                                + "' inside it; map one or the other.",
                        null);
            }
        }
        String last = steps.get(steps.size() - 1);
        if (at.get(last) instanceof ObjectNode existing && value instanceof ObjectNode incoming) {
            incoming.properties().forEach(e -> existing.putIfAbsent(e.getKey(), e.getValue()));
        } else {
            at.set(last, value);
        }
    }
}
