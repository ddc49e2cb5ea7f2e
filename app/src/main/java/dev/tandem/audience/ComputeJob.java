package dev.tandem.audience;

import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Lane;
import dev.tandem.schedule.Next;
import java.time.Clock;

/**
 * The background computation of new and edited audiences, and the purge of deleted ones, as a
 * scheduled job: one slice per run, between the processor's batches (so it never races the
 * real-time stage, whose cache it keeps current), again at once while work is left. Scheduled when
 * audiences change and at every start, so a computation cut short by a restart goes on.
 */
final class ComputeJob implements Job {
    static final String KIND = "audience.compute";
    static final String KEY = "all";

    private final Background background;
    private final AudienceStage stage;
    private final Clock clock;

    ComputeJob(Background background, AudienceStage stage, Clock clock) {
        this.background = background;
        this.stage = stage;
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
        return background.step(stage) ? Next.again(clock.instant()) : Next.done();
    }
}
