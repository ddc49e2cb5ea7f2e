package dev.tandem.collect;

import dev.tandem.wire.EventTime;
import java.time.Instant;

/**
 * What is the same for every event of one request, worked out once: when it arrived (and that
 * instant as text) and the batch's {@code sentAt}, or null. A batch {@code sentAt} that is not a
 * time in {@link EventTime}'s range is kept as {@code badBatchSentAt}: each event that relies on
 * it is refused with that reason, and events with their own {@code sentAt} are not affected.
 */
record Arrival(
        Instant receivedAt, String receivedAtText, Instant batchSentAt, String batchSentAtText, String badBatchSentAt) {

    static Arrival of(Instant receivedAt, String batchSentAt) {
        Instant sentAt = batchSentAt == null ? null : SdkLeniency.parseTime(batchSentAt);
        boolean usable = sentAt != null && EventTime.inRange(sentAt);
        return new Arrival(
                receivedAt,
                EventTime.format(receivedAt),
                usable ? sentAt : null,
                usable ? batchSentAt : null,
                batchSentAt != null && !usable ? batchSentAt : null);
    }
}
