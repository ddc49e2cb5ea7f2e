package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tandem.config.FieldPath;
import dev.tandem.config.Json;
import dev.tandem.wire.EventTime;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * One line of a mapping's {@code fields}: the event field it sets, where its value comes from (a
 * column, a field of a JSON line, or a constant), how the value is converted, and what happens
 * when it is empty. A value that cannot be converted refuses the row, naming column and value.
 *
 * @param target   the event field, such as {@code userId} or {@code traits.email}
 * @param from     the column (CSV) or dotted field (JSON Lines) read, or null for a constant
 * @param constant the constant, or null when read {@code from} a column
 * @param as       the conversion
 * @param time     how {@code timestamp} values are written, for {@link As#TIMESTAMP}
 * @param fallback the value used when the column is empty, or null
 * @param required whether an empty value refuses the row (when there is no fallback)
 */
record ImportRule(
        FieldPath target, String from, JsonNode constant, As as, TimeFormat time, JsonNode fallback, boolean required) {

    /** The conversions a value may go through. {@code AS_IS} keeps a JSON value's type and a CSV cell as text. */
    enum As {
        AS_IS,
        STRING,
        NUMBER,
        INTEGER,
        BOOLEAN,
        TIMESTAMP,
        JSON
    }

    /** How a timestamp is written in the file: ISO-8601, seconds or milliseconds since 1970, or a pattern. */
    sealed interface TimeFormat {
        record Iso() implements TimeFormat {}

        record Epoch(boolean millis) implements TimeFormat {}

        record Pattern(String pattern, DateTimeFormatter formatter, ZoneId zone) implements TimeFormat {}
    }

    /** The converted value, or null when it is empty and may be left out. */
    JsonNode value(JsonNode raw) {
        JsonNode value = constant != null ? constant : raw;
        if (empty(value)) {
            if (fallback != null) {
                return fallback.deepCopy();
            }
            if (required) {
                throw new RowRefused(
                        "missing_value",
                        "'" + from + "' is empty, and the mapping says " + target + " is required.",
                        from);
            }
            return null;
        }
        return constant != null ? value.deepCopy() : convert(value);
    }

    private static boolean empty(JsonNode value) {
        return value == null
                || value.isNull()
                || value.isMissingNode()
                || (value.isTextual() && value.textValue().isBlank());
    }

    private JsonNode convert(JsonNode value) {
        String text = value.isTextual() ? value.textValue().trim() : null;
        return switch (as) {
            case AS_IS -> text != null ? TextNode.valueOf(text) : value;
            case STRING ->
                TextNode.valueOf(text != null ? text : value.isValueNode() ? value.asText() : value.toString());
            case NUMBER, INTEGER -> number(value, text);
            case BOOLEAN -> bool(value, text);
            case TIMESTAMP -> TextNode.valueOf(EventTime.format(instant(value, text)));
            case JSON -> text == null ? value : json(text);
        };
    }

    private JsonNode number(JsonNode value, String text) {
        BigDecimal number;
        if (value.isNumber()) {
            number = value.decimalValue();
        } else {
            try {
                number = new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw refused(
                        "invalid_number",
                        "is not a number (write it with a '.' and no thousands separator, such as 1234.5)",
                        text);
            }
        }
        if (as == As.INTEGER) {
            try {
                return LongNode.valueOf(number.longValueExact());
            } catch (ArithmeticException e) {
                throw refused("invalid_number", "is not a whole number", text == null ? value.toString() : text);
            }
        }
        double d = number.doubleValue();
        if (!Double.isFinite(d)) {
            throw refused("invalid_number", "is too large a number", shown(text));
        }
        return number.stripTrailingZeros().scale() <= 0
                        && number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                ? LongNode.valueOf(number.longValue())
                : DoubleNode.valueOf(d);
    }

    private JsonNode bool(JsonNode value, String text) {
        if (value.isBoolean()) {
            return value;
        }
        String t = (text != null ? text : value.asText()).toLowerCase(Locale.ROOT);
        return switch (t) {
            case "true", "yes", "y", "1" -> BooleanNode.TRUE;
            case "false", "no", "n", "0" -> BooleanNode.FALSE;
            default -> throw refused("invalid_boolean", "is not true or false (nor yes/no, 1/0)", t);
        };
    }

    private Instant instant(JsonNode value, String text) {
        Instant at = switch (time) {
            case TimeFormat.Iso iso -> text == null ? null : EventTime.parse(text);
            case TimeFormat.Epoch epoch -> epoch(value, text, epoch.millis());
            case TimeFormat.Pattern p -> text == null ? null : pattern(p, text);
        };
        if (at == null || !EventTime.inRange(at)) {
            String expected = switch (time) {
                case TimeFormat.Iso iso -> "an ISO-8601 date-time such as 2024-05-01T12:00:00Z";
                case TimeFormat.Epoch epoch -> epoch.millis() ? "milliseconds since 1970" : "seconds since 1970";
                case TimeFormat.Pattern p -> "a date-time in the pattern '" + p.pattern() + "'";
            };
            throw refused(
                    "invalid_timestamp",
                    "is not " + expected + " between 1900 and 9999",
                    text != null ? text : value.toString());
        }
        return at;
    }

    private static Instant epoch(JsonNode value, String text, boolean millis) {
        try {
            BigDecimal n = value.isNumber() ? value.decimalValue() : new BigDecimal(text);
            BigDecimal ms = millis ? n : n.movePointRight(3);
            return Instant.ofEpochMilli(ms.longValueExact());
        } catch (NumberFormatException | ArithmeticException | NullPointerException | DateTimeException e) {
            return null;
        }
    }

    private static Instant pattern(TimeFormat.Pattern p, String text) {
        try {
            TemporalAccessor parsed = p.formatter().parse(text);
            return ZonedDateTime.from(parsed).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw refused("invalid_json", "is not valid JSON", text);
        }
    }

    private RowRefused refused(String code, String problem, String value) {
        return new RowRefused(code, "'" + from + "' " + problem + ": '" + shown(value) + "'.", from);
    }

    /** Values in messages are cut to 60 characters, so one long cell cannot flood the report. */
    private static String shown(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
