package dev.tandem.wire;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamps of an event and the clock-skew correction, as Segment defines it.
 *
 * <p>The rule, with {@code receivedAt} from the server clock, {@code sentAt} the client's clock
 * when it sent the request (on the event, else on the batch) and {@code originalTimestamp} the
 * client's clock when the event happened ({@code originalTimestamp}, else {@code timestamp}):
 * <ul>
 *   <li>both present: {@code timestamp = receivedAt - (sentAt - originalTimestamp)}. The client's
 *       clock may be off by any amount; only the interval it measured is trusted.</li>
 *   <li>only {@code originalTimestamp}: it is kept as sent (server-side libraries importing
 *       history send timestamps without {@code sentAt}).</li>
 *   <li>neither: {@code timestamp = receivedAt}.</li>
 *   <li>a result later than {@code receivedAt} (an event that claims to come from the future,
 *       or {@code sentAt} earlier than the event) is clamped to {@code receivedAt}; one earlier
 *       than {@link #EARLIEST} (a client clock off by centuries) is clamped to {@link #EARLIEST}.</li>
 * </ul>
 *
 * <p>Every time field an event carries must lie between {@link #EARLIEST} and {@link #LATEST}
 * ({@link #inRange}); the collector refuses the event otherwise, so no later stage ever meets
 * a time that overflows epoch milliseconds.
 */
public final class EventTime {
    /** The earliest time an event's time fields may hold: 1900-01-01T00:00:00Z. */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    /** The latest time an event's time fields may hold: 9999-12-31T23:59:59.999Z. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** ISO-8601 in UTC with exactly three fraction digits, as Segment writes timestamps. */
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EventTime() {}

    public static Instant corrected(Instant receivedAt, Instant sentAt, Instant originalTimestamp) {
        Instant result;
        if (originalTimestamp == null) {
            result = receivedAt;
        } else if (sentAt == null) {
            result = originalTimestamp;
        } else {
            result = receivedAt.minusMillis(sentAt.toEpochMilli() - originalTimestamp.toEpochMilli());
        }
        return result.isAfter(receivedAt) ? receivedAt : result.isBefore(EARLIEST) ? EARLIEST : result;
    }

    /** True when {@code time} lies between {@link #EARLIEST} and {@link #LATEST}, both included. */
    public static boolean inRange(Instant time) {
        return !time.isBefore(EARLIEST) && !time.isAfter(LATEST);
    }

    /**
     * Parses an ISO-8601 date-time with an offset, or without one (read as UTC), or a date
     * alone (midnight UTC). Returns null when {@code text} is not such a string.
     */
    public static Instant parse(String text) {
        Instant fast = parseCommon(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ignored) {
            // not with an offset; try the looser forms below
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // not a local date-time either
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /**
     * The common shape {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+hh:mm|-hh:mm|+hhmm)}, parsed by
     * hand. Why: java.time's parser took about 600 ns a call against 22 ns here
     * (EventTimeBenchmark), and an event has up to three timestamps; in the ingest profile it was
     * the largest single cost. Anything else returns null and goes the general way.
     */
    static Instant parseCommon(String t) {
        int n = t.length();
        if (n < 20
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || (t.charAt(10) != 'T' && t.charAt(10) != 't')
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = num(t, 0, 4);
        int month = num(t, 5, 2);
        int day = num(t, 8, 2);
        int hour = num(t, 11, 2);
        int minute = num(t, 14, 2);
        int second = num(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        long nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                if (i - start < 9) {
                    nanos = nanos * 10 + (t.charAt(i) - '0');
                }
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int d = Math.min(9, i - start); d < 9; d++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && (t.charAt(i) == 'Z' || t.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            int sign = t.charAt(i) == '+' ? 1 : -1;
            int oh = num(t, i + 1, 2);
            int om;
            if (n == i + 6 && t.charAt(i + 3) == ':') {
                om = num(t, i + 4, 2);
            } else if (n == i + 5) {
                om = num(t, i + 3, 2);
            } else {
                return null;
            }
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = sign * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException impossibleDate) {
            return null;
        }
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static int num(String t, int at, int width) {
        if (at + width > t.length()) {
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
