package dev.tandem.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jobs as a module brings them to a running server: due in three days, run when the test clock
 * passes that and not before, once, across a restart of the server in between; a job that throws
 * is retried after its backoff and its failure shows at {@code GET /v1/admin/jobs}.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ScheduledJobsInServerTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    ScheduledJobsInServerTest(StoreKind store) {
        this.store = store;
    }

    /** A module with one job kind that records each run and fails while told to. */
    static final class Reminders implements Module, Job {
        final List<String> runs = new CopyOnWriteArrayList<>();
        volatile int failuresLeft;

        @Override
        public String name() {
            return "reminders";
        }

        @Override
        public void wire(Wiring wiring) {
            wiring.job(this);
        }

        @Override
        public String kind() {
            return "test.reminder";
        }

        @Override
        public Next run(Due due) {
            runs.add(due.key() + "@" + due.attempt());
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("the reminder service is down");
            }
            return Next.done();
        }
    }

    @Test
    void aJobDueInThreeDaysRunsOnceWhenTheClockPassesItAcrossARestart() {
        TestClock clock = TestClock.standard();
        Reminders reminders = new Reminders();
        try (TestServer server = TestServer.start(store, dir, clock, Map.of(), List.of(reminders))) {
            Instant due = clock.instant().plus(Duration.ofDays(3));
            server.tandem().scheduler().schedule("test.reminder", "renewal-42", due, "{\"profile\": 42}");

            clock.advance(Duration.ofDays(3).minusMinutes(1));
            Awaitility.await()
                    .during(Duration.ofMillis(400))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> reminders.runs.isEmpty());
            JsonNode waiting = kind(server, "test.reminder");
            assertThat(waiting.path("due").asLong()).as("not due yet").isZero();
            assertThat(waiting.path("nextDueAt").asText()).isEqualTo("2026-01-08T09:00:00.000Z");

            server.restart();
            assertThat(reminders.runs)
                    .as("a restart before it is due runs nothing")
                    .isEmpty();
            clock.advance(Duration.ofMinutes(2));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reminders.runs.size() == 1);
            assertThat(reminders.runs).containsExactly("renewal-42@1");

            server.restart();
            clock.advance(Duration.ofDays(1));
            Awaitility.await()
                    .during(Duration.ofMillis(400))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> reminders.runs.size() == 1);
            assertThat(kind(server, "test.reminder").path("nextDueAt").isNull())
                    .as("done: nothing left of it")
                    .isTrue();
        }
    }

    @Test
    void aFailingJobIsRetriedAfterItsBackoffAndItsFailureIsShown() {
        TestClock clock = TestClock.standard();
        Reminders reminders = new Reminders();
        reminders.failuresLeft = 2;
        try (TestServer server = TestServer.start(store, dir, clock, Map.of(), List.of(reminders))) {
            server.tandem().scheduler().schedule("test.reminder", "welcome-7", clock.instant(), null);
            server.tandem().scheduler().wake();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reminders.runs.size() == 1);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> server.admin("/v1/admin/jobs")
                                    .json()
                                    .path("failingTotal")
                                    .asLong()
                            == 1);
            JsonNode failing =
                    server.admin("/v1/admin/jobs").json().path("failing").get(0);
            assertThat(failing.path("kind").asText()).isEqualTo("test.reminder");
            assertThat(failing.path("key").asText()).isEqualTo("welcome-7");
            assertThat(failing.path("attempts").asInt()).isEqualTo(1);
            assertThat(failing.path("lastError").asText()).contains("the reminder service is down");
            assertThat(server.http().get("/v1/admin/jobs").status())
                    .as("behind the admin token")
                    .isEqualTo(401);

            clock.advance(Duration.ofMillis(500));
            Awaitility.await()
                    .during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> reminders.runs.size() == 1);
            clock.advance(Duration.ofSeconds(1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reminders.runs.size() == 2);
            clock.advance(Duration.ofSeconds(2));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reminders.runs.size() == 3);
            assertThat(reminders.runs).containsExactly("welcome-7@1", "welcome-7@2", "welcome-7@3");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> server.admin("/v1/admin/jobs")
                                    .json()
                                    .path("failingTotal")
                                    .asLong()
                            == 0);
        }
    }

    private static JsonNode kind(TestServer server, String kind) {
        for (JsonNode k : server.admin("/v1/admin/jobs").json().path("kinds")) {
            if (k.path("kind").asText().equals(kind)) {
                return k;
            }
        }
        throw new AssertionError(
                "no kind " + kind + " in " + server.admin("/v1/admin/jobs").body());
    }
}
