package dev.tandem.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.store.Database;
import dev.tandem.testing.Http;
import dev.tandem.testing.RouteServer;
import dev.tandem.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/admin/jobs}: counts due by kind with the next due time, kinds nothing registered, and a refused limit. */
class ScheduleRoutesTest {
    @TempDir
    Path dir;

    @Test
    void listsDueJobsByKindMarksUnknownKindsAndRefusesABadLimit() {
        TestClock clock = TestClock.standard();
        try (Database db = Database.sqlite(dir, "NORMAL")) {
            try (Scheduler retired = new Scheduler(db, clock, new SimpleMeterRegistry(), ScheduleSettings.DEFAULTS)) {
                retired.register(Recorder.done("test.retired"));
                retired.schedule("test.retired", "x", clock.instant(), null);
            }
            try (Scheduler scheduler = new Scheduler(db, clock, new SimpleMeterRegistry(), ScheduleSettings.DEFAULTS);
                    RouteServer server =
                            RouteServer.start(app -> app.get("/v1/admin/jobs", new ScheduleRoutes(scheduler)::jobs))) {
                scheduler.register(new Recorder("test.compute", Lane.PIPELINE, due -> Next.done()));
                scheduler.schedule("test.compute", "a", clock.instant(), null);
                scheduler.schedule("test.compute", "b", clock.instant(), null);
                scheduler.schedule("test.compute", "c", clock.instant().plusSeconds(60), null);

                JsonNode kinds = server.http().get("/v1/admin/jobs").json().path("kinds");
                assertThat(kinds).hasSize(2);
                assertThat(kinds.get(0).path("kind").asText()).isEqualTo("test.compute");
                assertThat(kinds.get(0).path("lane").asText()).isEqualTo("pipeline");
                assertThat(kinds.get(0).path("due").asInt()).isEqualTo(2);
                assertThat(kinds.get(0).path("nextDueAt").asText()).isEqualTo("2026-01-05T09:00:00.000Z");
                assertThat(kinds.get(1).path("kind").asText()).isEqualTo("test.retired");
                assertThat(kinds.get(1).path("registered").asBoolean()).isFalse();
                assertThat(kinds.get(1).path("lane").isNull()).isTrue();

                Http.Response bad = server.http().get("/v1/admin/jobs?limit=lots");
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.json().path("error").path("code").asText()).isEqualTo("invalid_limit");
            }
        }
    }
}
