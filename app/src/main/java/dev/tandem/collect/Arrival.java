package dev.tandem.collect;

import java.time.Instant;

/**
 * What is the same for every event of one request, worked out once: when it arrived (and that
 * instant as text) and the batch's {@code sentAt}, or null.
 */
record Arrival(Instant receivedAt, String receivedAtText, Instant batchSentAt, String batchSentAtText) {

    static Arrival of(Instant receivedAt, String batchSentAt) {
        Instant sentAt = batchSentAt == null ? null : EventTime.parse(batchSentAt);
        return new Arrival(receivedAt, EventTime.format(receivedAt), sentAt, sentAt == null ? null : batchSentAt);
    }
}
