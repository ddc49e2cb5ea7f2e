package dev.tandem.change;

import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Next;
import java.time.Clock;
import java.time.Duration;

/** {@code change.expire}: every hour, pending changes older than the proposals' lifetime become expired. */
final class ExpiryJob implements Job {
    static final String KIND = "change.expire";
    static final String KEY = "pending";
    static final Duration EVERY = Duration.ofHours(1);

    private final ChangeFlow flow;
    private final Clock clock;

    ExpiryJob(ChangeFlow flow, Clock clock) {
        this.flow = flow;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Next run(Due due) {
        flow.expire();
        return Next.again(clock.instant().plus(EVERY));
    }
}
