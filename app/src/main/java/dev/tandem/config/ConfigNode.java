package dev.tandem.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value of a workspace section and its JSON-pointer path. Readers state what they expect
 * ({@link #text}, {@link #intIn}, {@link #duration}...) and a wrong value becomes the error made by
 * {@link Problems}, which knows the file and line.
 */
public record ConfigNode(JsonNode node, String path, Problems problems) {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhdw])");

    /** Makes the error for a wrong value at a path; the server's implementation adds file and line. */
    @FunctionalInterface
    public interface Problems {
        RuntimeException at(String path, String problem);
    }

    public boolean isMissing() {
        return node == null || node.isNull() || node.isMissingNode();
    }

    public ConfigNode get(String field) {
        return new ConfigNode(node == null ? null : node.get(field), path + "/" + field, problems);
    }

    public RuntimeException error(String problem) {
        return problems.at(path, problem);
    }

    /** The fields of a mapping, in file order; refuses a field not in {@code allowed}. */
    public Iterable<Map.Entry<String, ConfigNode>> fields(Set<String> allowed, String what) {
        if (!node.isObject()) {
            throw error(what + " must be a mapping.");
        }
        List<Map.Entry<String, ConfigNode>> out = new ArrayList<>();
        for (var e : node.properties()) {
            if (allowed != null && !allowed.contains(e.getKey())) {
                throw problems.at(
                        path + "/" + e.getKey(),
                        "unknown field '" + e.getKey() + "' in " + what + "; the known fields are " + allowed + ".");
            }
            out.add(Map.entry(e.getKey(), new ConfigNode(e.getValue(), path + "/" + e.getKey(), problems)));
        }
        return out;
    }

    public List<ConfigNode> list(String what) {
        if (!node.isArray()) {
            throw error(what + " must be a list.");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(node.get(i), path + "/" + i, problems));
        }
        return out;
    }

    public String text(String what) {
        if (node == null
                || !node.isValueNode()
                || node.isNull()
                || node.asText().isBlank()) {
            throw error(what + " must be a non-empty text value.");
        }
        return node.asText().trim();
    }

    public int intIn(int min, int max, String what) {
        // YAML numbers arrive as decimals (the workspace reader keeps them exact); accept any whole one
        if (node != null
                && node.isNumber()
                && node.decimalValue().stripTrailingZeros().scale() <= 0
                && node.decimalValue().compareTo(java.math.BigDecimal.valueOf(min)) >= 0
                && node.decimalValue().compareTo(java.math.BigDecimal.valueOf(max)) <= 0) {
            return node.intValue();
        }
        throw error(what + " must be a whole number from " + min + " to " + max + ".");
    }

    public boolean bool(String what) {
        if (node == null || !node.isBoolean()) {
            throw error(what + " must be true or false.");
        }
        return node.asBoolean();
    }

    /** A duration written as a number and a unit: {@code 90s}, {@code 30m}, {@code 12h}, {@code 30d}, {@code 2w}. */
    public Duration duration(String what) {
        Matcher m = DURATION.matcher(node == null ? "" : node.asText().trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw error(what + " must be a positive duration such as '30d', '12h', '30m', '90s' or '2w'.");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** A regular expression, compiled case-insensitively. */
    public Pattern pattern(String what) {
        String text = text(what);
        try {
            return Pattern.compile(text, Pattern.CASE_INSENSITIVE);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw error(what + " is not a valid regular expression: " + e.getDescription() + " at index " + e.getIndex()
                    + ".");
        }
    }
}
