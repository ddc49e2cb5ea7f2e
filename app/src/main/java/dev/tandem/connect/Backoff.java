package dev.tandem.connect;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a failed item again: 10 s after the first failure, doubling to at most 300 s, with
 * jitter (each wait is between half and all of its step, so destinations that failed together do
 * not come back together); a {@code Retry-After} the tool sent wins, if later than a second.
 */
final class Backoff {
    static final long FIRST_MILLIS = 10_000;
    static final long MAX_MILLIS = 300_000;

    private Backoff() {}

    /** The next attempt after the {@code attempts}-th failure, at {@code now}. */
    static long next(long now, int attempts, java.time.Instant retryAfter) {
        if (retryAfter != null) {
            return Math.max(retryAfter.toEpochMilli(), now + 1_000);
        }
        long step = Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(attempts - 1, 20));
        return now + step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }
}
