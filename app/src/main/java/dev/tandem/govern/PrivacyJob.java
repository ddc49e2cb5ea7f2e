package dev.tandem.govern;

import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Lane;
import dev.tandem.schedule.Next;
import java.time.Clock;
import java.time.Instant;

/**
 * Privacy requests as a scheduled job between the processor's batches, so an erasure never races
 * a batch: runs while there is work, waits for the processor to pass a request's watermark, and
 * comes back for owed keys when the key shredder's pause after a failure is over. Scheduled when a
 * request arrives and at every start (keys owed before a crash, requests still pending).
 */
final class PrivacyJob implements Job {
    static final String KIND = "privacy.requests";
    static final String KEY = "all";
    /** How soon to look again while a request waits for the processor to reach its watermark. */
    private static final long WATERMARK_POLL_MILLIS = 50;

    private final PrivacyWork work;
    private final Clock clock;

    PrivacyJob(PrivacyWork work, Clock clock) {
        this.work = work;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Lane lane() {
        return Lane.PIPELINE;
    }

    @Override
    public Next run(Due due) {
        if (work.run()) {
            return Next.again(clock.instant());
        }
        long next = work.nextAttemptAt(clock.millis(), WATERMARK_POLL_MILLIS);
        return next < 0 ? Next.done() : Next.again(Instant.ofEpochMilli(next));
    }
}
