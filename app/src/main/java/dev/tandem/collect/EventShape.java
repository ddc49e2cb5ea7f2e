package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What any JSON parser accepts but no stage can keep exactly: objects nested deeper than
 * {@link #MAX_DEPTH}, numbers that are not finite ({@code 1e309} parses as infinity), and text
 * with a lone UTF-16 surrogate ({@code "\ud800"}), which no UTF-8 store can hold as sent. Each is
 * refused at collection with the path where it was found, so the processor never meets one.
 */
final class EventShape {
    /** How deep objects and arrays may nest in one event, counting the event itself as 1. */
    static final int MAX_DEPTH = 64;

    private EventShape() {}

    /** The first such problem in the event, or null. */
    static Reason problem(JsonNode event) {
        return walk(event, "", 1);
    }

    private static Reason walk(JsonNode node, String path, int depth) {
        if (node.isContainerNode() && depth > MAX_DEPTH) {
            return new Reason("too_deep", "The event nests objects and arrays more than " + MAX_DEPTH
                    + " levels deep at '" + path + "'; flatten it.", path);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (hasLoneSurrogate(field.getKey())) {
                    return loneSurrogate(path.isEmpty() ? "(a key)" : path + ".(a key)");
                }
                Reason problem = walk(field.getValue(), child, depth + 1);
                if (problem != null) {
                    return problem;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Reason problem = walk(node.get(i), path + "[" + i + "]", depth + 1);
                if (problem != null) {
                    return problem;
                }
            }
        } else if (node.isTextual()) {
            if (hasLoneSurrogate(node.textValue())) {
                return loneSurrogate(path);
            }
        } else if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return new Reason("invalid_number", "'" + path + "' is not a finite number (" + node.asText()
                    + "); numbers must lie within ±1.7976931348623157E308.", path);
        }
        return null;
    }

    private static Reason loneSurrogate(String path) {
        return new Reason("invalid_text", "'" + path + "' holds a lone UTF-16 surrogate (such as \\ud800) that is not a character; "
                + "send valid Unicode text.", path);
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
        if (!hasLoneSurrogate(json)) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length() + 16);
        for (int i = 0, n = json.length(); i < n; i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(json.charAt(i + 1))) {
                out.append(c).append(json.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
