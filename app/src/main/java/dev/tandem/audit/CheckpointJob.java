package dev.tandem.audit;

import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Next;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code audit.checkpoint}: signs a checkpoint of the log every {@link #EVERY} when entries were added
 * since the last. It does not sign a log that has no checkpoint at all although its first entry is
 * older than {@link AuditVerifier#UNANCHORED_AT_MOST}: the first append signs one, so its absence
 * means they were deleted, and signing now would vouch for whatever the log holds. It fails instead,
 * saying so, until a person who checked the log signs one ({@code tandem audit checkpoint}).
 */
final class CheckpointJob implements Job {
    static final String KIND = "audit.checkpoint";
    static final String KEY = "log";
    static final Duration EVERY = Duration.ofMinutes(10);

    private final AuditLog log;
    private final Checkpoints checkpoints;
    private final Clock clock;

    CheckpointJob(AuditLog log, Checkpoints checkpoints, Clock clock) {
        this.log = log;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Next run(Due due) {
        sign();
        return Next.again(clock.instant().plus(EVERY));
    }

    /** Signs the head, unless the log has old entries and no checkpoint at all; then it throws, saying why. */
    void sign() {
        AuditLog.Head head = log.head();
        if (head.size() > 0 && checkpoints.latest().isEmpty()) {
            long first = log.page(AuditLog.Filter.ALL, 0, 1).getFirst().at();
            if (clock.millis() - first > AuditVerifier.UNANCHORED_AT_MOST.toMillis()) {
                throw new IllegalStateException("the audit log has " + head.size()
                        + " entries, the oldest older than " + AuditVerifier.UNANCHORED_AT_MOST.toMinutes()
                        + " minutes, and no checkpoint: checkpoints were deleted. Not signing what may have been"
                        + " rewritten; compare the log with a checkpoint kept outside Tandem (tandem audit verify"
                        + " --checkpoint FILE), then sign one (tandem audit checkpoint)");
            }
        }
        checkpoints.of(head);
    }
}
