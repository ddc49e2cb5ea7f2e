package dev.tandem.retain;

import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Lane;
import dev.tandem.schedule.Next;
import dev.tandem.schedule.Progress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code retain.archive}: one slice of archiving a run, between the processor's batches (so it
 * never races one), again at once while a slice found work, then again after {@link #LOOK_EVERY}.
 * Its progress shows in {@code GET /v1/admin/jobs}.
 */
final class RetentionJob implements Job {
    static final String KIND = "retain.archive";
    static final String KEY = "all";
    /** How often an idle archiver looks for rows that came of age: retention is counted in hours at the finest. */
    static final Duration LOOK_EVERY = Duration.ofMinutes(10);

    private final Archiver archiver;
    private final Clock clock;

    RetentionJob(Archiver archiver, Clock clock) {
        this.archiver = archiver;
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
    public Optional<Progress> progress() {
        return Optional.of(archiver.progress());
    }

    @Override
    public Next run(Due due) {
        return archiver.slice()
                ? Next.again(clock.instant())
                : Next.again(clock.instant().plus(LOOK_EVERY));
    }
}
