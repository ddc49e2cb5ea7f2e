package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.wire.EventTime;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the APIs the SDKs were written for accept although the spec is stricter, where their own
 * documentation or SDKs rely on it, and no more (the rules and their sources: docs/sdks.md):
 * <ul>
 *   <li>date-times whose month, day, hour, minute or second has one digit, as in the batch example
 *       of Segment's HTTP API page ({@code 2015-2-02T00:30:12.984Z});
 *   <li>a {@code type} in any letter case ({@code "Track"}, as RudderStack's Android SDK tests send),
 *       stored in lower case;
 *   <li>every identifier sent as a number ({@code userId}, {@code anonymousId}, {@code groupId},
 *       {@code previousId}; Segment's Ruby SDK sends numbers) stored as its text, one rule for all;
 *   <li>an identify whose traits come only in {@code context.traits}, where RudderStack's SDKs put
 *       them, stored with them as {@code traits} too, where Segment's spec and Tandem's profile read them.
 * </ul>
 * None of this is on the common path: each rule runs only where the strict reading failed or a
 * number stands where text belongs.
 */
final class SdkLeniency {
    static final String[] ID_FIELDS = {"userId", "anonymousId", "groupId", "previousId"};
    /** The extended form with one-digit fields; the rest (fraction, offset) is left to the strict parser. */
    private static final Pattern SHORT_FIELDS =
            Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})([Tt])(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}))?(.*)");

    private SdkLeniency() {}

    /** {@link EventTime#parse}, and failing that the same text with one-digit fields padded; null when neither reads it. */
    static Instant parseTime(String text) {
        Instant strict = EventTime.parse(text);
        if (strict != null || text.length() > 64) {
            return strict;
        }
        Matcher m = SHORT_FIELDS.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String padded = m.group(1) + "-" + two(m.group(2)) + "-" + two(m.group(3)) + m.group(4) + two(m.group(5)) + ":"
                + two(m.group(6)) + (m.group(7) == null ? "" : ":" + two(m.group(7))) + m.group(8);
        return padded.equals(text) ? null : EventTime.parse(padded);
    }

    private static String two(String digits) {
        return digits.length() == 1 ? "0" + digits : digits;
    }

    /** Rewrites a {@code type} that names one of the six in another letter case to the lower-case name. */
    static void canonicalType(ObjectNode event) {
        JsonNode type = event.get("type");
        if (type != null
                && type.isTextual()
                && EventType.fromWire(type.textValue()).isEmpty()) {
            String lower = type.textValue().toLowerCase(Locale.ROOT);
            if (EventType.fromWire(lower).isPresent()) {
                event.put("type", lower);
            }
        }
    }

    /** Every identifier sent as a number becomes its text: {@code 42} is stored as {@code "42"}. */
    static void idsAsText(ObjectNode event) {
        for (String field : ID_FIELDS) {
            JsonNode value = event.get(field);
            if (value != null && value.isNumber()) {
                event.put(field, value.asText());
            }
        }
    }

    /** Copies {@code context.traits} to {@code traits} on an identify that has no traits of its own. */
    static void identifyTraits(ObjectNode event) {
        JsonNode own = event.get("traits");
        if ((own == null || own.isNull())
                && event.get("context") instanceof ObjectNode context
                && context.get("traits") instanceof ObjectNode traits
                && !traits.isEmpty()) {
            event.set("traits", traits.deepCopy());
        }
    }
}
