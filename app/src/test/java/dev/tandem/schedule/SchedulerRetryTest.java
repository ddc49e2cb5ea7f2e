package dev.tandem.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.store.Database;
import dev.tandem.testing.RouteServer;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A job that throws is retried after a doubling backoff on the clock, and its failure shows in the status, the metrics and the admin route. */
class SchedulerRetryTest {
    @TempDir
    Path dir;

    private final TestClock clock = TestClock.standard();

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aJobThatThrowsIsRetriedWithBackoffAndItsFailureIsVisible(StoreKind kind) {
        Recorder job = new Recorder("test.flaky", Lane.OWN, due -> {
            if (due.attempt() < 3) {
                throw new IllegalStateException("destination answered 503 on attempt " + due.attempt());
            }
            return Next.done();
        });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScheduleSettings settings = ScheduleSettings.DEFAULTS.withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = new Scheduler(db, clock, meters, settings)) {
            scheduler.register(job);
            Instant start = clock.instant();
            scheduler.schedule("test.flaky", "send-1", start, "{}");
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);

            assertThat(scheduler.failures(10)).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo("test.flaky");
                assertThat(f.key()).isEqualTo("send-1");
                assertThat(f.attempts()).isEqualTo(1);
                assertThat(f.lastError()).contains("IllegalStateException", "503 on attempt 1");
                assertThat(f.failedAt()).isEqualTo(start);
                assertThat(f.nextAttemptAt()).isEqualTo(start.plusSeconds(1));
            });
            assertThat(meters.get("tandem.schedule.failures")
                            .tag("kind", "test.flaky")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(meters.get("tandem.schedule.runs")
                            .tag("kind", "test.flaky")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(meters.get("tandem.schedule.failing").gauge().value()).isEqualTo(1);
            try (RouteServer server =
                    RouteServer.start(app -> app.get("/v1/admin/jobs", new ScheduleRoutes(scheduler)::jobs))) {
                JsonNode body = server.http().get("/v1/admin/jobs").json();
                assertThat(body.path("failingTotal").asInt()).isEqualTo(1);
                JsonNode failing = body.path("failing").get(0);
                assertThat(failing.path("kind").asText()).isEqualTo("test.flaky");
                assertThat(failing.path("key").asText()).isEqualTo("send-1");
                assertThat(failing.path("attempts").asInt()).isEqualTo(1);
                assertThat(failing.path("lastError").asText()).contains("503 on attempt 1");
                assertThat(failing.path("nextAttemptAt").asText()).isEqualTo("2026-01-05T09:00:01.000Z");
                assertThat(body.path("kinds").get(0).path("nextDueAt").asText()).isEqualTo("2026-01-05T09:00:01.000Z");
            }

            clock.advance(Duration.ofMillis(999));
            assertThat(scheduler.runDue(Lane.OWN, 10))
                    .as("attempt 2 waits for the backoff")
                    .isZero();
            clock.advance(Duration.ofMillis(1));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(scheduler.failures(10)).singleElement().satisfies(f -> {
                assertThat(f.attempts()).isEqualTo(2);
                assertThat(f.lastError()).contains("503 on attempt 2");
                assertThat(f.nextAttemptAt()).isEqualTo(start.plusSeconds(3));
            });

            clock.advance(Duration.ofMillis(1_999));
            assertThat(scheduler.runDue(Lane.OWN, 10))
                    .as("the pause doubled to 2 s")
                    .isZero();
            clock.advance(Duration.ofMillis(1));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(job.runs).extracting(Due::attempt).containsExactly(1, 2, 3);
            assertThat(scheduler.failures(10)).isEmpty();
            assertThat(scheduler.status().kinds())
                    .singleElement()
                    .satisfies(k -> assertThat(k.nextDueAt()).isNull());
            assertThat(meters.get("tandem.schedule.failures")
                            .tag("kind", "test.flaky")
                            .counter()
                            .count())
                    .isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aJobThatSucceedsAfterFailingIsRearmedAsAFirstAttempt(StoreKind kind) {
        Recorder job = new Recorder("test.poll", Lane.OWN, due -> {
            if ("fail".equals(due.payload())) {
                throw new IllegalStateException("no");
            }
            return Next.again(due.dueAt().plus(Duration.ofHours(1)), "round-" + due.attempt());
        });
        try (Database db = Store.fresh(kind, dir).open();
                Scheduler scheduler = new Scheduler(db, clock, new SimpleMeterRegistry(), ScheduleSettings.DEFAULTS)) {
            scheduler.register(job);
            scheduler.schedule("test.poll", "p", clock.instant(), "ok");
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            clock.advance(Duration.ofHours(1));
            assertThat(scheduler.runDue(Lane.OWN, 10)).isEqualTo(1);
            assertThat(job.runs).extracting(Due::payload).containsExactly("ok", "round-1");
            assertThat(job.runs).extracting(Due::attempt).containsExactly(1, 1);
        }
    }
}
