package dev.tandem.collect;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a source's events stay in the live store: accepted events ({@code events}, 400 days by
 * default) and refused ones in the quarantine ({@code quarantine}, 30 days). Older ones move to the
 * archive files under the data directory. Declared per source in {@code tandem.yaml}:
 * {@code retention: {events: 400d, quarantine: 30d}}, with the units {@code h}, {@code d} and
 * {@code w}.
 */
public record Retention(Duration events, Duration quarantine) {
    public static final Retention DEFAULTS = new Retention(Duration.ofDays(400), Duration.ofDays(30));
    /** At least an hour: shorter would archive events while a steward may still need them live. */
    public static final Duration SHORTEST = Duration.ofHours(1);
    /** At most 100 years: longer is "keep for ever", which is what no retention would mean. */
    public static final Duration LONGEST = Duration.ofDays(36_500);

    public static final String RULE =
            "a retention is a whole number with a unit, h (hours), d (days) or w (weeks), from 1h to 36500d, such as 400d";

    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})([hdw])");

    /** The duration {@code text} says, such as {@code 400d}; throws with {@link #RULE} otherwise. */
    public static Duration parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a retention: " + RULE);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(n * 7);
        };
        if (d.compareTo(SHORTEST) < 0 || d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("'" + text + "' is out of range: " + RULE);
        }
        return d;
    }

    /** The text {@link #parse} reads back, in the largest unit that divides it. */
    public static String format(Duration d) {
        long hours = d.toHours();
        if (hours % (24 * 7) == 0) {
            return hours / (24 * 7) + "w";
        }
        return hours % 24 == 0 ? hours / 24 + "d" : hours + "h";
    }
}
