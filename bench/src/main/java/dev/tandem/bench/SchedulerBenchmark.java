package dev.tandem.bench;

import dev.tandem.schedule.Lane;
import dev.tandem.schedule.Next;
import dev.tandem.schedule.Planned;
import dev.tandem.schedule.ScheduleSettings;
import dev.tandem.schedule.Scheduler;
import dev.tandem.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./tandem bench scheduler [--jobs 1000000] [--batch 1000] [--database-url URL]}: a million
 * jobs due at random times across one day, on SQLite (and PostgreSQL when a URL is given). Measures
 * the cost of a tick while none is due (every tick querying the index, and ticks within the poll
 * bound), against a scan of the table for reference; then moves the clock past the day and measures
 * the firing rate, against a baseline in the same run: a plain DELETE of the same rows in the same
 * batches; and the heap used with nothing waiting, a million waiting and after firing.
 */
public final class SchedulerBenchmark {
    private static final String KIND = "bench.noop";
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private SchedulerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new HashMap<>(Map.of("jobs", "1000000", "batch", "1000"));
        defaults.put("database-url", null);
        Map<String, String> o = Options.parse(args, defaults);
        int jobs = Integer.parseInt(o.get("jobs"));
        int batch = Integer.parseInt(o.get("batch"));
        System.out.printf(
                "Scheduler benchmark: %,d jobs due across a day, claims and deletes of %d rows a statement%n",
                jobs, batch);
        try (Database sqlite = Database.sqlite(Files.createTempDirectory("tandem-bench-schedule"), "FULL")) {
            run("SQLite", sqlite, jobs, batch);
        }
        if (o.get("database-url") != null) {
            try (Database postgres = Database.postgres(o.get("database-url"))) {
                postgres.jdbi().useHandle(h -> h.execute("DELETE FROM scheduled_jobs"));
                run("PostgreSQL", postgres, jobs, batch);
            }
        }
    }

    private static void run(String name, Database db, int jobs, int batch) {
        SteppedClock clock = new SteppedClock(START);
        AtomicLong runs = new AtomicLong();
        ScheduleSettings settings = ScheduleSettings.DEFAULTS.withBatch(batch);
        Scheduler looking = scheduler(db, clock, settings.withPoll(Duration.ZERO), runs);
        Scheduler trusting = scheduler(db, clock, settings, runs);
        System.out.printf("%n%s%n", name);
        long heapEmpty = Heap.usedAfterGc();
        long t = System.nanoTime();
        insert(looking, jobs);
        System.out.printf(
                "  schedule %,d jobs (scheduleAll, 10,000 a transaction) %12.0f jobs/s%n", jobs, jobs / seconds(t));
        long heapWaiting = Heap.usedAfterGc();

        int ticks = 2_000;
        t = System.nanoTime();
        for (int i = 0; i < ticks; i++) {
            check(looking.runDue(Lane.OWN, batch) == 0, "nothing is due yet");
        }
        System.out.printf(
                "  tick, none due, looking at the index each time       %10.1f us%n",
                (System.nanoTime() - t) / 1e3 / ticks);
        t = System.nanoTime();
        for (int i = 0; i < ticks * 100; i++) {
            trusting.runDue(Lane.OWN, batch);
        }
        System.out.printf(
                "  tick, none due, within the 1 s poll bound              %10.3f us%n",
                (System.nanoTime() - t) / 1e3 / (ticks * 100));
        t = System.nanoTime();
        long scanned = db.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM scheduled_jobs WHERE due_at <= :now")
                        .bind("now", START.toEpochMilli())
                        .mapTo(Long.class)
                        .one());
        System.out.printf(
                "  reference: one scan of the table (what a tick without the index costs) %8.1f ms (%d rows due)%n",
                (System.nanoTime() - t) / 1e6, scanned);

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        t = System.nanoTime();
        int fired = 0;
        for (int ran; (ran = looking.runDue(Lane.OWN, 100_000)) > 0; ) {
            fired += ran;
        }
        double firing = fired / seconds(t);
        check(fired == jobs && runs.get() == jobs, "every job ran once: fired " + fired + ", runs " + runs.get());
        long heapFired = Heap.usedAfterGc();
        System.out.printf("  fire them all (claim, run, delete)                     %10.0f jobs/s%n", firing);

        insert(looking, jobs);
        List<Planned> planned = new ArrayList<>(jobs);
        SplittableRandom random = new SplittableRandom(12);
        for (int from = 0; from < jobs; from += 10_000) {
            planned.addAll(chunk(random, from, Math.min(jobs, from + 10_000)));
        }
        t = System.nanoTime();
        PlainDelete.run(db, KIND, planned, batch);
        System.out.printf(
                "  baseline: plain DELETE of the same rows, %d a statement %10.0f jobs/s%n", batch, jobs / seconds(t));
        System.out.printf(
                "  heap used: nothing waiting %,d MB, %,d waiting %,d MB, after firing %,d MB%n",
                heapEmpty >> 20, jobs, heapWaiting >> 20, heapFired >> 20);
        looking.close();
        trusting.close();
    }

    private static Scheduler scheduler(Database db, SteppedClock clock, ScheduleSettings settings, AtomicLong runs) {
        Scheduler scheduler = new Scheduler(db, clock, new SimpleMeterRegistry(), settings);
        scheduler.register(new dev.tandem.schedule.Job() {
            @Override
            public String kind() {
                return KIND;
            }

            @Override
            public Next run(dev.tandem.schedule.Due due) {
                runs.incrementAndGet();
                return Next.done();
            }
        });
        return scheduler;
    }

    /** Keys in order, due times at random across the day (so key order and due order differ, as they would). */
    private static List<Planned> chunk(SplittableRandom random, int from, int to) {
        List<Planned> planned = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            planned.add(new Planned("job-" + i, START.plusMillis(1_000 + random.nextLong(DAY_MS - 1_000)), null));
        }
        return planned;
    }

    /** Schedules the jobs 10,000 a transaction, made as they go, so that the benchmark holds none of them. */
    private static void insert(Scheduler scheduler, int jobs) {
        SplittableRandom random = new SplittableRandom(12);
        for (int from = 0; from < jobs; from += 10_000) {
            scheduler.scheduleAll(KIND, chunk(random, from, Math.min(jobs, from + 10_000)));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark invariant broken: " + what);
        }
    }
}
