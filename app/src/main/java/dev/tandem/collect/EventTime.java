package dev.tandem.collect;

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
 *       or {@code sentAt} earlier than the event) is clamped to {@code receivedAt}.</li>
 * </ul>
 */
final class EventTime {
    /** ISO-8601 in UTC with exactly three fraction digits, as Segment writes timestamps. */
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private EventTime() {}

    static Instant corrected(Instant receivedAt, Instant sentAt, Instant originalTimestamp) {
        Instant result;
        if (originalTimestamp == null) {
            result = receivedAt;
        } else if (sentAt == null) {
            result = originalTimestamp;
        } else {
            result = receivedAt.minusMillis(sentAt.toEpochMilli() - originalTimestamp.toEpochMilli());
        }
        return result.isAfter(receivedAt) ? receivedAt : result;
    }

    /**
     * Parses an ISO-8601 date-time with an offset, or without one (read as UTC), or a date
     * alone (midnight UTC). Returns null when {@code text} is not such a string.
     */
    static Instant parse(String text) {
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

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
