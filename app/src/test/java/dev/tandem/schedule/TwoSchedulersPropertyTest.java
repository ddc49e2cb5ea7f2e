package dev.tandem.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.store.Database;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Two schedulers, each with its own owner and its own connection pool, as two processes sharing one
 * database: whatever the interleaving of their claims (one after the other or at the same moment)
 * and of the clock's steps, every job runs, and runs exactly once.
 */
class TwoSchedulersPropertyTest {
    private static final String KIND = "prop.once";
    private static Database postgresA;
    private static Database postgresB;
    private static Database sqliteA;
    private static Database sqliteB;
    private static ExecutorService threads;

    @BeforeContainer
    static void open() throws IOException {
        String url = Postgres.freshDatabaseUrl();
        postgresA = Database.postgres(url);
        postgresB = Database.postgres(url);
        var dir = Files.createTempDirectory("tandem-schedule-prop");
        sqliteA = Database.sqlite(dir, "NORMAL");
        sqliteB = Database.sqlite(dir, "NORMAL");
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterContainer
    static void close() {
        threads.shutdownNow();
        List.of(postgresA, postgresB, sqliteA, sqliteB).forEach(Database::close);
    }

    /** A step of the interleaving: A or B claims and runs up to n, both at once, or the clock moves. */
    sealed interface Step permits RunA, RunB, Together, Advance {}

    record RunA(int max) implements Step {}

    record RunB(int max) implements Step {}

    record Together(int maxA, int maxB) implements Step {}

    record Advance(int seconds) implements Step {}

    @Property(tries = 25)
    void onPostgresEveryJobRunsExactlyOnce(
            @ForAll("dueSeconds") List<Integer> dues, @ForAll("steps") List<Step> steps, @ForAll("batches") int batch)
            throws Exception {
        check(postgresA, postgresB, dues, steps, batch);
    }

    @Property(tries = 15)
    void onSqliteEveryJobRunsExactlyOnce(
            @ForAll("dueSeconds") List<Integer> dues, @ForAll("steps") List<Step> steps, @ForAll("batches") int batch)
            throws Exception {
        check(sqliteA, sqliteB, dues, steps, batch);
    }

    private static void check(Database dbA, Database dbB, List<Integer> dues, List<Step> steps, int batch)
            throws Exception {
        dbA.jdbi().useHandle(h -> h.execute("DELETE FROM scheduled_jobs"));
        TestClock clock = TestClock.standard();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        ScheduleSettings settings = ScheduleSettings.DEFAULTS.withBatch(batch).withPoll(Duration.ZERO);
        try (Scheduler a = scheduler(dbA, clock, settings, runs);
                Scheduler b = scheduler(dbB, clock, settings, runs)) {
            assertThat(a.owner()).isNotEqualTo(b.owner());
            for (int i = 0; i < dues.size(); i++) {
                (i % 2 == 0 ? a : b).schedule(KIND, "job-" + i, clock.instant().plusSeconds(dues.get(i)), null);
            }
            for (Step step : steps) {
                switch (step) {
                    case RunA r -> a.runDue(Lane.OWN, r.max());
                    case RunB r -> b.runDue(Lane.OWN, r.max());
                    case Together t -> {
                        Future<Integer> first = threads.submit(() -> a.runDue(Lane.OWN, t.maxA()));
                        Future<Integer> second = threads.submit(() -> b.runDue(Lane.OWN, t.maxB()));
                        first.get();
                        second.get();
                    }
                    case Advance s -> clock.advance(Duration.ofSeconds(s.seconds()));
                }
            }
            clock.advance(Duration.ofHours(1));
            while (a.runDue(Lane.OWN, 1_000) + b.runDue(Lane.OWN, 1_000) > 0) {
                // drain what the steps left
            }
        }
        assertThat(runs).hasSize(dues.size());
        assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }

    private static Scheduler scheduler(
            Database db, TestClock clock, ScheduleSettings settings, Map<String, AtomicInteger> runs) {
        Scheduler scheduler = new Scheduler(db, clock, new SimpleMeterRegistry(), settings);
        scheduler.register(new Recorder(KIND, Lane.OWN, due -> {
            runs.computeIfAbsent(due.key(), k -> new AtomicInteger()).incrementAndGet();
            return Next.done();
        }));
        return scheduler;
    }

    @Provide
    Arbitrary<List<Integer>> dueSeconds() {
        return Arbitraries.integers().between(0, 600).list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<Integer> batches() {
        return Arbitraries.of(1, 3, 7, 500);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> max = Arbitraries.integers().between(1, 20);
        Arbitrary<Step> step = Arbitraries.oneOf(
                max.map(RunA::new),
                max.map(RunB::new),
                Combinators.combine(max, max).as(Together::new),
                Arbitraries.integers().between(0, 120).map(Advance::new));
        return step.list().ofMaxSize(30);
    }
}
