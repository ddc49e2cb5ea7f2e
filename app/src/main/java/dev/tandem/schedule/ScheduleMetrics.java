package dev.tandem.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The scheduler's meters: {@code tandem.schedule.runs} and {@code tandem.schedule.failures} per
 * kind, {@code tandem.schedule.leases.lost} (completions fenced out because a run outlived its
 * lease), and the gauges {@code tandem.schedule.due} per kind and {@code tandem.schedule.failing},
 * read from a status at most a few seconds old so that a scrape does not count the table each time.
 */
final class ScheduleMetrics {
    private static final long STALE_NANOS = 5_000_000_000L;

    private final MeterRegistry meters;
    private final Supplier<ScheduleStatus> status;
    private final Map<String, Counter> runs = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> lost = new ConcurrentHashMap<>();
    private ScheduleStatus last;
    private long lastAt;

    ScheduleMetrics(MeterRegistry meters, Supplier<ScheduleStatus> status) {
        this.meters = meters;
        this.status = status;
        Gauge.builder("tandem.schedule.failing", this, m -> m.recent().failingTotal())
                .description("scheduled jobs whose last attempt failed and that wait for a retry")
                .register(meters);
    }

    void register(String kind) {
        runs.put(
                kind,
                Counter.builder("tandem.schedule.runs")
                        .tag("kind", kind)
                        .description("scheduled jobs run")
                        .register(meters));
        failures.put(
                kind,
                Counter.builder("tandem.schedule.failures")
                        .tag("kind", kind)
                        .description("scheduled job runs that threw")
                        .register(meters));
        lost.put(
                kind,
                Counter.builder("tandem.schedule.leases.lost")
                        .tag("kind", kind)
                        .description(
                                "completions refused because another owner had taken the job: a run outlived its lease")
                        .register(meters));
        Gauge.builder("tandem.schedule.due", this, m -> m.recent().due(kind))
                .tag("kind", kind)
                .description("scheduled jobs due now and not yet claimed")
                .register(meters);
    }

    void ran(String kind, int ran, int failed) {
        runs.get(kind).increment(ran);
        if (failed > 0) {
            failures.get(kind).increment(failed);
        }
    }

    void lost(String kind, int count) {
        if (count > 0) {
            lost.get(kind).increment(count);
        }
    }

    private synchronized ScheduleStatus recent() {
        if (last == null || System.nanoTime() - lastAt > STALE_NANOS) {
            last = status.get();
            lastAt = System.nanoTime();
        }
        return last;
    }
}
