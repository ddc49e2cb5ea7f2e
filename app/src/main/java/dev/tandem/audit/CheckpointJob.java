package dev.tandem.audit;

import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Next;
import java.time.Clock;
import java.time.Duration;

/** {@code audit.checkpoint}: signs a checkpoint of the log every {@link #EVERY} when entries were added since the last. */
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
        checkpoints.of(log.head());
        return Next.again(clock.instant().plus(EVERY));
    }
}
