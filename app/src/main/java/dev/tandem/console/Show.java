package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.StringJoiner;

/** How pages write the API's values: numbers to one decimal, intervals, series for Chart.js. */
final class Show {
    private Show() {}

    /** A number rounded to one decimal ("—" for none), as every tile and table shows it. */
    static String number(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return "—";
        }
        return number(n.asDouble());
    }

    static String number(double v) {
        return Double.isFinite(v)
                ? BigDecimal.valueOf(v)
                        .setScale(1, RoundingMode.HALF_UP)
                        .stripTrailingZeros()
                        .toPlainString()
                : "—";
    }

    /** A ratio from 0 to 1 as a percentage ("99.5%"). */
    static String percent(JsonNode ratio) {
        return ratio != null && ratio.isNumber() ? number(ratio.asDouble() * 100) + "%" : "—";
    }

    /** A list of words (reasons) as one sentence-like line. */
    static String joined(JsonNode list) {
        StringJoiner out = new StringJoiner("; ");
        list.forEach(v -> out.add(v.asText()));
        return out.toString();
    }

    /** A 95% interval as "lo – hi", or "no interval" when the API gave none. */
    static String interval(JsonNode ci) {
        if (ci == null || !ci.isArray() || ci.size() != 2) {
            return "no interval";
        }
        return number(ci.get(0)) + " – " + number(ci.get(1));
    }

    /** The values of a series ({@code [{"date", "value"}]}) as a JSON array for a chart, nulls kept as gaps. */
    static String values(JsonNode series, String field) {
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (JsonNode point : series) {
            JsonNode v = point.path(field);
            out.add(v.isNumber() ? v.asText() : "null");
        }
        return out.toString();
    }

    /**
     * For experiment arms: control's rate plus the bound ({@code low} or {@code high}) of each arm's
     * difference from control, so the interval is drawn around the arm's rate (null for control).
     */
    static String shifted(JsonNode arms, String bound) {
        double control = 0;
        for (JsonNode a : arms) {
            if (a.path("control").asBoolean()) {
                control = a.path("conversion_rate").asDouble();
            }
        }
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (JsonNode a : arms) {
            JsonNode d = a.path("difference").path(bound);
            out.add(d.isNumber() ? Double.toString(control + d.asDouble()) : "null");
        }
        return out.toString();
    }

    /** The labels of a series as a JSON array of strings. */
    static String labels(JsonNode series, String field) {
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (JsonNode point : series) {
            out.add("\"" + point.path(field).asText().replaceAll("[^0-9A-Za-z_:.T\\- ]", "") + "\"");
        }
        return out.toString();
    }

    /** A time as the API wrote it, shortened to the minute ("2026-12-02 07:15"). */
    static String time(JsonNode t) {
        String s = t == null ? "" : t.asText("");
        return s.length() >= 16 ? s.substring(0, 10) + " " + s.substring(11, 16) : s;
    }

    /** A scalar as text; an object or array as compact JSON. */
    static String text(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "—";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** An object of objects ({@code {"analytics": {"allowed": true}}}) as rows, its keys under {@code key}. */
    static JsonNode entries(JsonNode object, String key) {
        var out = dev.tandem.config.Json.mapper().createArrayNode();
        if (object != null && object.isObject()) {
            for (var e : object.properties()) {
                var row = out.addObject().put(key, e.getKey());
                if (e.getValue().isObject()) {
                    row.setAll((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue());
                } else {
                    row.set("value", e.getValue());
                }
            }
        }
        return out;
    }

    /** Where a value was measured: {@code {"touchpoint": "delivery"}} as "touchpoint: delivery" ("everywhere" for none). */
    static String where(JsonNode by) {
        if (by == null || !by.isObject() || by.isEmpty()) {
            return "everywhere";
        }
        StringJoiner out = new StringJoiner(", ");
        by.properties().forEach(e -> out.add(e.getKey() + ": " + e.getValue().asText()));
        return out.toString();
    }

    static String status(String s) {
        return switch (s) {
            case "met" -> "target met";
            case "below" -> "below target";
            default -> "no data yet";
        };
    }
}
