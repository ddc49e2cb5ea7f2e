package dev.tandem.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.store.Database;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Due times, restarts, lanes and cancelling, on SQLite and PostgreSQL, with a test clock instead of sleeping. */
class SchedulerTest {
    private static final Duration THREE_DAYS = Duration.ofDays(3);

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.standard();

    private Scheduler scheduler(Database db, Job... jobs) {
        Scheduler scheduler = new Scheduler(db, clock, new SimpleMeterRegistry(), ScheduleSettings.DEFAULTS);
        for (Job job : jobs) {
            scheduler.register(job);
        }
        clock.onAdvance(scheduler::wake);
        return scheduler;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aJobDueInThreeDaysRunsWhenTheClockPassesItAndNotBefore(StoreKind kind) {
        Recorder job = Recorder.done("test.remind");
        Instant due = clock.instant().plus(THREE_DAYS);
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = scheduler(db, job)) {
            scheduler.schedule("test.remind", "order-1", due, "{\"order\":1}");
            assertThat(scheduler.runDue(Lane.OWN, 10)).isZero();
            clock.advance(THREE_DAYS.minusMillis(1));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isZero();
            assertThat(job.runs).isEmpty();

            clock.advance(Duration.ofMillis(1));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(job.runs).containsExactly(new Due("test.remind", "order-1", "{\"order\":1}", due, 1));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isZero();
            assertThat(scheduler.status().kinds()).singleElement().satisfies(k -> {
                assertThat(k.due()).isZero();
                assertThat(k.nextDueAt()).isNull();
            });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theOwnThreadNoticesTheAdvancedClockAtOnce(StoreKind kind) {
        Recorder job = Recorder.done("test.remind");
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = scheduler(db, job)) {
            scheduler.start();
            scheduler.schedule("test.remind", "order-1", clock.instant().plus(THREE_DAYS), null);
            long passes = scheduler.passes();
            clock.advance(THREE_DAYS.minusMillis(1));
            // the default poll bound is a second; these waits end within milliseconds because advance wakes the thread
            Awaitility.await().atMost(Duration.ofMillis(900)).until(() -> scheduler.passes() > passes);
            assertThat(job.runs).isEmpty();

            clock.advance(Duration.ofMillis(1));
            Awaitility.await().atMost(Duration.ofMillis(900)).until(() -> job.runs.size() == 1);
            assertThat(job.keys()).containsExactly("order-1");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aJobRunsOnceAfterARestart(StoreKind kind) {
        Store store = Store.fresh(kind, dir);
        try (Database db = store.open();
                Scheduler scheduler = scheduler(db, Recorder.done("test.remind"))) {
            scheduler.schedule("test.remind", "order-1", clock.instant().plus(THREE_DAYS), "p");
            scheduler.schedule(
                    "test.remind", "order-2", clock.instant().plus(THREE_DAYS).plusSeconds(60), "p");
        }
        clock.advance(THREE_DAYS);
        Recorder after = Recorder.done("test.remind");
        try (Database db = store.open();
                Scheduler scheduler = scheduler(db, after)) {
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(scheduler.runDue(Lane.OWN, 10)).isZero();
        }
        Recorder again = Recorder.done("test.remind");
        try (Database db = store.open();
                Scheduler scheduler = scheduler(db, again)) {
            assertThat(scheduler.runDue(Lane.OWN, 10)).isZero();
            clock.advance(Duration.ofSeconds(60));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
        }
        assertThat(after.keys()).containsExactly("order-1");
        assertThat(again.keys()).containsExactly("order-2");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pipelineJobsRunOnlyWhenThePipelineAsksAndOwnJobsOnlyOnTheOwnLane(StoreKind kind) {
        Recorder pipeline = new Recorder("test.pipeline", Lane.PIPELINE, due -> Next.done());
        Recorder own = Recorder.done("test.own");
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = scheduler(db, pipeline, own)) {
            scheduler.start();
            scheduler.schedule("test.pipeline", "p", clock.instant(), null);
            scheduler.schedule("test.own", "o", clock.instant(), null);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> own.runs.size() == 1);
            long passes = scheduler.passes();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.passes() > passes + 1);
            assertThat(pipeline.runs).isEmpty();
            assertThat(scheduler.runDue(Lane.PIPELINE, 10)).isEqualTo(1);
            assertThat(pipeline.keys()).containsExactly("p");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withOnlyPipelineJobsTheOwnThreadSleepsThePollBoundInsteadOfSpinning(StoreKind kind) {
        Recorder pipeline = new Recorder("test.pipeline", Lane.PIPELINE, due -> Next.done());
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = scheduler(db, pipeline)) {
            scheduler.start();
            long before = scheduler.passes();
            // a second of real time with a one-second poll bound: a loop that sleeps makes a pass or two,
            // one that spins makes millions (the server's own thread did, with all its jobs in the pipeline lane)
            Awaitility.await()
                    .pollDelay(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> true);
            assertThat(scheduler.passes() - before).isLessThanOrEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rescheduleMovesTheDueTimeAndCancelRemovesTheJob(StoreKind kind) {
        Recorder job = Recorder.done("test.remind");
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = scheduler(db, job)) {
            scheduler.schedule("test.remind", "a", clock.instant().plusSeconds(10), "first");
            scheduler.schedule("test.remind", "a", clock.instant().plusSeconds(20), "second");
            scheduler.schedule("test.remind", "b", clock.instant().plusSeconds(10), null);
            db.jdbi().useTransaction(h -> scheduler.cancel(h, "test.remind", "b"));
            assertThat(scheduler.cancel("test.remind", "nothing")).isFalse();
            clock.advance(Duration.ofSeconds(10));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isZero();
            clock.advance(Duration.ofSeconds(10));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(job.runs)
                    .singleElement()
                    .satisfies(d -> assertThat(d.payload()).isEqualTo("second"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void kindsNothingRegisteredAreLeftAloneAndReported(StoreKind kind) {
        Store store = Store.fresh(kind, dir);
        try (Database db = store.open()) {
            try (Scheduler old = scheduler(db, Recorder.done("test.retired"))) {
                old.schedule("test.retired", "x", clock.instant(), null);
            }
            Recorder current = Recorder.done("test.current");
            try (Scheduler scheduler = scheduler(db, current)) {
                assertThat(scheduler.runDue(Lane.OWN, 10)).isZero();
                assertThat(scheduler.status().unknownKinds()).containsExactly("test.retired");
                assertThat(scheduler.status().due("test.retired")).isEqualTo(1);
                assertThatThrownBy(() -> scheduler.schedule("test.retired", "y", clock.instant(), null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("register it");
            }
        }
    }
}
