package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What any JSON parser accepts but no stage can keep exactly: objects nested deeper than
 * {@link #MAX_DEPTH}, numbers that are not finite ({@code 1e309} parses as infinity), and text
 * with a lone UTF-16 surrogate ({@code "\ud800"}), which no UTF-8 store can hold as sent. Each is
 * refused at collection with the path where it was found, so the processor never meets one. So
 * is NUL ({@code \u0000}) in any key or text, which PostgreSQL's text cannot hold, and an integer
 * too large for a double.
 */
public final class EventShape {
    /** How deep objects and arrays may nest in one event, counting the event itself as 1. */
    static final int MAX_DEPTH = 64;

    private EventShape() {}

    /** The first such problem in the event, or null. */
    static Reason problem(JsonNode event) {
        Found found = walk(event, 1);
        if (found == null) {
            return null;
        }
        String path = found.path.toString();
        return switch (found.kind) {
            case TOO_DEEP ->
                new Reason(
                        "too_deep",
                        "The event nests objects and arrays more than " + MAX_DEPTH + " levels deep at '" + path
                                + "'; flatten it.",
                        path);
            case NUL ->
                new Reason(
                        "invalid_text", "'" + path + "' holds a NUL character (\\u0000); send text without it.", path);
            case LONE_SURROGATE ->
                new Reason(
                        "invalid_text",
                        "'" + path + "' holds a lone UTF-16 surrogate (such as \\ud800) that is "
                                + "not a character; send valid Unicode text.",
                        path);
            case NOT_FINITE ->
                new Reason(
                        "invalid_number",
                        "'" + path + "' is not a finite number (" + found.detail
                                + "); numbers must lie within ±1.7976931348623157E308.",
                        path);
        };
    }

    private enum Kind {
        TOO_DEEP,
        NUL,
        LONE_SURROGATE,
        NOT_FINITE
    }

    /**
     * A problem and where: the path is put together on the way back up, only when there is one.
     * Why: building every field's path while walking was the largest cost of this check in the
     * ingest profile, and almost every event has no problem.
     */
    private static final class Found {
        final Kind kind;
        final String detail;
        final StringBuilder path = new StringBuilder();

        Found(Kind kind, String detail) {
            this.kind = kind;
            this.detail = detail;
        }

        Found under(String segment, boolean key) {
            if (key && !path.isEmpty() && path.charAt(0) != '[') {
                path.insert(0, '.');
            }
            path.insert(0, segment);
            return this;
        }
    }

    private static Found walk(JsonNode node, int depth) {
        if (node.isContainerNode() && depth > MAX_DEPTH) {
            return new Found(Kind.TOO_DEEP, null);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = field.getKey();
                Found found = hasLoneSurrogate(key)
                        ? new Found(Kind.LONE_SURROGATE, null)
                        : key.indexOf('\u0000') >= 0 ? new Found(Kind.NUL, null) : walk(field.getValue(), depth + 1);
                if (found != null) {
                    return found.under(escaped(key), true);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Found found = walk(node.get(i), depth + 1);
                if (found != null) {
                    return found.under("[" + i + "]", false);
                }
            }
        } else if (node.isTextual()) {
            String text = node.textValue();
            if (hasLoneSurrogate(text)) {
                return new Found(Kind.LONE_SURROGATE, null);
            }
            if (text.indexOf('\u0000') >= 0) {
                return new Found(Kind.NUL, null);
            }
        } else if ((node.isDouble() || node.isFloat() || node.isBigInteger() || node.isBigDecimal())
                && !Double.isFinite(node.doubleValue())) {
            String text = node.asText();
            return new Found(
                    Kind.NOT_FINITE,
                    text.length() > 24 ? text.substring(0, 16) + "…, " + text.length() + " characters" : text);
        }
        return null;
    }

    /** True when {@code text} can be stored exactly: no lone surrogate, no NUL. For identifiers that other routes take. */
    public static boolean storable(String text) {
        return !hasLoneSurrogate(text) && text.indexOf('\u0000') < 0;
    }

    /** Why a loop over chars: this runs for every string of every event, and almost all are plain ASCII. */
    static boolean hasLoneSurrogate(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The JSON text with every lone surrogate written as a {@code \\uXXXX} escape, so that a refused
     * event keeps exactly what was sent when it is stored as UTF-8. A lone surrogate can only stand
     * inside a JSON string, where the escape means the same code unit.
     */
    static String escapeLoneSurrogates(String json) {
        return hasLoneSurrogate(json) ? escaped(json) : json;
    }

    /**
     * {@code text} with every lone surrogate and NUL written as a {@code \\uXXXX} escape: a key or
     * path as it can be stored in any text column and shown, and read back as what was sent.
     */
    public static String escaped(String text) {
        if (storable(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c) || c == '\u0000') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
