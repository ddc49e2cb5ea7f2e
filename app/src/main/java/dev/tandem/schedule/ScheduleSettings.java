package dev.tandem.schedule;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link Scheduler} claims and retries. Impossible values are refused with the fix;
 * questionable ones are clamped with a warning.
 *
 * @param lease        how long a claim holds its jobs (default 5 minutes). A chunk stops running new
 *                     jobs once half of it has passed, so each single run must be shorter than half a lease
 * @param batch        jobs claimed (and completed) per statement (default 1,000, 1 to 5,000)
 * @param poll         the longest the scheduler trusts its idea of the next due time before it looks at
 *                     the table again, for jobs other processes scheduled (default 1 second; zero: always look)
 * @param firstBackoff the pause after a first failure, doubled after each further one (default 1 second)
 * @param maxBackoff   the longest pause between attempts (default 10 minutes)
 */
public record ScheduleSettings(Duration lease, int batch, Duration poll, Duration firstBackoff, Duration maxBackoff) {
    private static final Logger log = LoggerFactory.getLogger(ScheduleSettings.class);
    private static final int MAX_BATCH = 5_000;

    public static final ScheduleSettings DEFAULTS = new ScheduleSettings(
            Duration.ofMinutes(5), 1_000, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(10));

    public ScheduleSettings {
        if (lease == null || lease.toMillis() < 2) {
            throw new IllegalArgumentException(
                    "The schedule lease must be at least a few milliseconds (default 5 minutes), not " + lease);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("The schedule batch must be at least 1 (default 1,000), not " + batch);
        }
        if (batch > MAX_BATCH) {
            log.warn(
                    "schedule batch {} clamped to {}: a larger claim holds its transaction and lease for longer",
                    batch,
                    MAX_BATCH);
            batch = MAX_BATCH;
        }
        if (poll == null || poll.isNegative()) {
            throw new IllegalArgumentException(
                    "The schedule poll bound must be zero or more (default 1 second), not " + poll);
        }
        if (firstBackoff == null
                || firstBackoff.toMillis() < 1
                || maxBackoff == null
                || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException(
                    "The schedule backoff needs a first pause of at least 1 ms and a longest pause "
                            + "no shorter than it (defaults 1 second and 10 minutes), not " + firstBackoff + " and "
                            + maxBackoff);
        }
    }

    public ScheduleSettings withLease(Duration value) {
        return new ScheduleSettings(value, batch, poll, firstBackoff, maxBackoff);
    }

    public ScheduleSettings withBatch(int value) {
        return new ScheduleSettings(lease, value, poll, firstBackoff, maxBackoff);
    }

    public ScheduleSettings withPoll(Duration value) {
        return new ScheduleSettings(lease, batch, value, firstBackoff, maxBackoff);
    }

    public ScheduleSettings withBackoff(Duration first, Duration max) {
        return new ScheduleSettings(lease, batch, poll, first, max);
    }

    /** The pause before attempt {@code failed + 1} after attempt {@code failed} (1-based) failed. */
    Duration backoff(int failed) {
        int doublings = Math.min(Math.max(failed - 1, 0), 40);
        long millis = firstBackoff.toMillis();
        for (int i = 0; i < doublings && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
