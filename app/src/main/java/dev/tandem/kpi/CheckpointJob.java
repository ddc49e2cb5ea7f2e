package dev.tandem.kpi;

import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditLog;
import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Next;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code kpi.checkpoints}: every {@link #LOOK_EVERY}, records each checkpoint whose day is over with
 * its KPI's value then and whether it was met, and appends it to the audit trail
 * ({@code initiative.checkpoint_passed}, actor {@code system}), which makes it an item of the change
 * feed: the feed reads the audit trail, so this package never calls the feed. Recorded once (the
 * insert is keyed by initiative, KPI and day); after a crash between the two, the item is not lost but
 * may be missing for that one checkpoint, which the recorded status still shows.
 */
final class CheckpointJob implements Job {
    static final String KIND = "kpi.checkpoints";
    static final String KEY = "initiatives";
    static final Duration LOOK_EVERY = Duration.ofHours(1);

    private final Initiatives initiatives;
    private final AuditLog audit;
    private final Clock clock;

    CheckpointJob(Initiatives initiatives, AuditLog audit, Clock clock) {
        this.initiatives = initiatives;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Next run(Due due) {
        for (Initiative i : initiatives.all()) {
            Map<String, Initiatives.Passed> recorded = initiatives.passed(i.key());
            for (Initiative.Checkpoint c : i.checkpoints()) {
                if (!initiatives.hasPassed(c) || recorded.containsKey(c.kpi() + "@" + c.date())) {
                    continue;
                }
                Initiatives.Passed p = initiatives.measure(c);
                if (initiatives.recordPassed(i, c, p)) {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("initiative", i.key());
                    detail.put("name", i.name());
                    detail.put("kpi", c.kpi());
                    detail.put("date", c.date().toString());
                    detail.put("expected", c.expected());
                    detail.put("value", p.value());
                    detail.put("status", p.status());
                    detail.put("milestone", c.milestone());
                    audit.append("system", AuditKind.CHECKPOINT_PASSED, "initiative:" + i.key(), detail);
                }
            }
        }
        return Next.again(clock.instant().plus(LOOK_EVERY));
    }
}
