package dev.tandem.schedule;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs of one claim on the calling thread and says what became of each. Once half of the
 * lease has passed on the clock, the rest of the claim is not run but handed back at once: the
 * other half is the margin that keeps the last run inside the lease.
 */
final class ClaimRunner {
    private static final Logger log = LoggerFactory.getLogger(ClaimRunner.class);
    private static final int MAX_ERROR = 2_000;

    private final Map<String, Job> jobs;
    private final Clock clock;
    private final ScheduleSettings settings;
    private final ScheduleMetrics metrics;

    ClaimRunner(Map<String, Job> jobs, Clock clock, ScheduleSettings settings, ScheduleMetrics metrics) {
        this.jobs = jobs;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
    }

    List<Outcome> run(Claim claim, long claimedAt) {
        Job job = jobs.get(claim.kind());
        long stopAt = claimedAt + settings.lease().toMillis() / 2;
        List<Outcome> outcomes = new ArrayList<>(claim.dues().size());
        int failures = 0;
        for (Due due : claim.dues()) {
            if (clock.millis() >= stopAt) {
                outcomes.add(new Outcome.Unrun(due.key()));
                continue;
            }
            Outcome outcome = runOne(job, due);
            if (outcome instanceof Outcome.Failed) {
                failures++;
            }
            outcomes.add(outcome);
        }
        int ran = (int)
                outcomes.stream().filter(o -> !(o instanceof Outcome.Unrun)).count();
        metrics.ran(claim.kind(), ran, failures);
        if (ran < outcomes.size()) {
            log.atWarn()
                    .addKeyValue("kind", claim.kind())
                    .addKeyValue("handedBack", outcomes.size() - ran)
                    .log(
                            "half of the {} lease passed while running claimed {} jobs; the rest go back to the table",
                            settings.lease(),
                            claim.kind());
        }
        return outcomes;
    }

    private Outcome runOne(Job job, Due due) {
        try {
            Next next = job.run(due);
            return switch (next) {
                case null -> failed(due, "the job returned null instead of Next.done() or Next.again(...)");
                case Next.Done d -> new Outcome.Finished(due.key());
                case Next.Again a ->
                    new Outcome.Rearmed(
                            due.key(), a.at().toEpochMilli(), a.payload().orElse(due.payload()));
            };
        } catch (RuntimeException | AssertionError e) {
            log.atDebug()
                    .setCause(e)
                    .addKeyValue("kind", due.kind())
                    .addKeyValue("key", due.key())
                    .log("scheduled job failed");
            return failed(due, e.toString());
        }
    }

    private Outcome failed(Due due, String error) {
        long now = clock.millis();
        long next = now + settings.backoff(due.attempt()).toMillis();
        String text = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        return new Outcome.Failed(due.key(), due.attempt() + 1, next, text, now);
    }
}
