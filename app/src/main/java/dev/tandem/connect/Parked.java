package dev.tandem.connect;

/**
 * An outbox row a destination still owes: in {@code batch} (the delivery id it failed in) to be
 * sent again not before {@code notBefore}, or waiting behind an earlier row of its profile
 * ({@code batch} null).
 */
record Parked(
        long outboxId,
        long profileId,
        String batch,
        int attempts,
        long notBefore,
        long firstAttemptAt,
        String lastError) {
    boolean waiting() {
        return batch == null;
    }
}
