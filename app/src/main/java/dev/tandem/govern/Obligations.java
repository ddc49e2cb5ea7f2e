package dev.tandem.govern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What each obligation does to one value. A value an obligation cannot handle (an IP rule on
 * something that is not an address, a date rule on a number) is dropped rather than passed on:
 * the gate fails safe. Null means drop.
 */
final class Obligations {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Obligations() {}

    static JsonNode apply(Effect effect, String to, String name, JsonNode value) {
        if (value == null || value.isNull()) {
            return value;
        }
        return switch (effect) {
            case DROP -> null;
            case HASH -> value.isValueNode() ? TextNode.valueOf(sha256(normalized(name, value.asText()))) : null;
            case MASK -> value.isValueNode() ? TextNode.valueOf(mask(value.asText())) : null;
            case TRUNCATE_IP -> value.isTextual() ? text(truncateIp(value.asText())) : null;
            case COARSEN -> coarsen(value, to);
            case DENY, ALLOW -> value;
        };
    }

    /**
     * The value as ad platforms hash it: emails trimmed and lower-cased; phone numbers as {@code +}
     * and digits (E.164) when they carry a country code, else digits only; anything else trimmed.
     */
    static String normalized(String name, String value) {
        String v = value.trim();
        if (v.indexOf('@') > 0) {
            return v.toLowerCase(Locale.ROOT);
        }
        if (name.contains("phone") || name.equals("mobile") || name.equals("tel")) {
            String digits = v.replaceAll("[^0-9]", "");
            return v.startsWith("+") ? "+" + digits : digits;
        }
        return v;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** Keeps the first character and an email's domain: {@code j***@example.com}, {@code A***}. */
    static String mask(String text) {
        if (text.isEmpty()) {
            return text;
        }
        int at = text.indexOf('@');
        String head = text.substring(0, text.offsetByCodePoints(0, 1));
        return at > 0 ? head + "***" + text.substring(at) : head + "***";
    }

    /** IPv4 to its /24 ({@code 203.0.113.0}), IPv6 to its /48 ({@code 2001:db8:85a3::}); null when not an address. */
    static String truncateIp(String ip) {
        String v = ip.trim();
        if (v.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return v.substring(0, v.lastIndexOf('.')) + ".0";
        }
        if (v.indexOf(':') >= 0 && v.matches("[0-9A-Fa-f:]+")) {
            String[] groups = v.split(":", -1);
            if (groups.length >= 3 && !groups[0].isEmpty() && !groups[1].isEmpty() && !groups[2].isEmpty()) {
                return (groups[0] + ":" + groups[1] + ":" + groups[2] + "::").toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static JsonNode coarsen(JsonNode value, String to) {
        if (value.isNumber() && Character.isDigit(to.charAt(0))) {
            return JSON.numberNode(value.decimalValue().setScale(Integer.parseInt(to), RoundingMode.HALF_UP));
        }
        if (value.isTextual() && value.asText().matches("\\d{4}-\\d{2}(-\\d{2}.*)?")) {
            return TextNode.valueOf(value.asText().substring(0, to.equals("month") ? 7 : 4));
        }
        return null;
    }

    private static JsonNode text(String s) {
        return s == null ? null : TextNode.valueOf(s);
    }
}
