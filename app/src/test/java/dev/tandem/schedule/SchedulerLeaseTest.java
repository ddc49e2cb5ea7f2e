package dev.tandem.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.store.Database;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Leases: a crashed owner's jobs are taken over when its lease ends, its late completion changes nothing, and slices stop within the lease. */
class SchedulerLeaseTest {
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.standard();

    private Scheduler scheduler(Database db, Job job) {
        Scheduler scheduler = new Scheduler(
                db,
                clock,
                new SimpleMeterRegistry(),
                ScheduleSettings.DEFAULTS.withLease(LEASE).withPoll(Duration.ZERO));
        scheduler.register(job);
        return scheduler;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCrashedOwnersJobIsTakenOverAfterItsLeaseAndItsLateCompletionIsRefused(StoreKind kind) {
        Recorder job = new Recorder(
                "test.lease", Lane.OWN, due -> Next.again(due.dueAt().plus(Duration.ofDays(1)), "by the survivor"));
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler survivor = scheduler(db, job)) {
            survivor.schedule("test.lease", "k", clock.instant(), "first");
            // the crashed owner claimed it and never completed
            JobTable table = new JobTable(db);
            long now = clock.millis();
            Claim crashed = table.claim("test.lease", 10, "crashed-owner", 42, now, now + LEASE.toMillis());
            assertThat(crashed.dues()).hasSize(1);
            assertThat(survivor.runDue(Lane.OWN, 10))
                    .as("the lease still holds")
                    .isZero();

            clock.advance(LEASE.minusMillis(1));
            assertThat(survivor.runDue(Lane.OWN, 10)).isZero();
            clock.advance(Duration.ofMillis(1));
            assertThat(survivor.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(job.runs)
                    .singleElement()
                    .satisfies(d -> assertThat(d.payload()).isEqualTo("first"));

            Completion.Written late =
                    db.jdbi().inTransaction(h -> Completion.write(h, crashed, List.of(new Outcome.Finished("k"))));
            assertThat(late.lost()).isEqualTo(1);
            assertThat(survivor.status().kinds())
                    .singleElement()
                    .satisfies(k -> assertThat(k.nextDueAt())
                            .isEqualTo(Instant.parse("2026-01-05T09:00:00Z").plus(Duration.ofDays(1))));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aJobRescheduledWhileItRunsKeepsItsNewTimeAndDoesNotRunTwiceAtOnce(StoreKind kind) {
        AtomicReference<Scheduler> self = new AtomicReference<>();
        AtomicReference<Database> store = new AtomicReference<>();
        Recorder job = new Recorder("test.resched", Lane.OWN, due -> {
            if (due.payload().equals("old")) {
                self.get().schedule("test.resched", due.key(), due.dueAt().plusSeconds(30), "new");
                // another scheduler looking now must not take it while this run holds the lease
                assertThat(new JobTable(store.get())
                                .claim("test.resched", 10, "other", 7, clock.millis(), clock.millis() + 1000)
                                .dues())
                        .isEmpty();
            }
            return Next.done();
        });
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = scheduler(db, job)) {
            self.set(scheduler);
            store.set(db);
            scheduler.schedule("test.resched", "k", clock.instant(), "old");
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(scheduler.runDue(Lane.OWN, 10)).isZero();
            clock.advance(Duration.ofSeconds(30));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(job.runs).extracting(Due::payload).containsExactly("old", "new");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClaimStopsStartingRunsOnceHalfItsLeaseHasPassed(StoreKind kind) {
        Recorder job = new Recorder("test.slow", Lane.OWN, due -> {
            clock.advance(LEASE.dividedBy(2)); // a run that took half the lease
            return Next.done();
        });
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = scheduler(db, job)) {
            for (String key : List.of("a", "b", "c")) {
                scheduler.schedule("test.slow", key, clock.instant(), null);
            }
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(scheduler.status().due("test.slow"))
                    .as("handed back, due at once")
                    .isEqualTo(2);
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(job.keys()).containsExactlyInAnyOrder("a", "b", "c");
        }
    }
}
