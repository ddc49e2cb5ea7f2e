package dev.tandem.journey;

import static dev.tandem.journey.Journeys.stats;
import static dev.tandem.journey.Journeys.step;
import static dev.tandem.journey.Journeys.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Entry on a schedule, on the test clock and both stores: a daily pass at 10:00 UTC enters an
 * audience's members (again each day with {@code reentry: always}); a pass every 6 hours with no
 * audience enters every profile, more than one slice of them, once; the dry run's reach is the
 * current members; a pass missed while the server was down runs at once after the restart.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyScheduleTest {
    /** More than one slice of {@link ScheduledEntries#SLICE}. */
    private static final int PROFILES = ScheduledEntries.SLICE + 100;

    private final StoreKind store;

    @TempDir
    Path dir;

    JourneyScheduleTest(StoreKind store) {
        this.store = store;
    }

    private static String workspace(Receiver receiver) {
        return Journeys.destination(receiver) + """
                audiences:
                  - key: vip
                    name: VIP
                    owners: [marketing]
                    condition: "has(traits.tier) && traits.tier == 'vip'"
                journeys:
                  - key: digest
                    owners: [marketing]
                    entry: { schedule: { every: 1d, at: "10:00" }, audience: vip }
                    reentry: always
                    steps:
                      - send: { destination: email_tool, exempt: true, message: { template: digest } }
                  - key: everyone
                    owners: [marketing]
                    entry: { schedule: { every: 6h } }
                    steps:
                      - send: { destination: email_tool, exempt: true, message: { template: hello } }
                """;
    }

    @Test
    void passesEnterAtTheirTimesAndGoOnAfterARestart() throws Exception {
        TestClock clock = TestClock.standard(); // Monday 09:00 UTC
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver), clock)) {
            List<String> identifies = new ArrayList<>();
            for (int i = 0; i < PROFILES; i++) {
                identifies.add(Journeys.identify("u-" + i, true, i < 3 ? "{\"tier\": \"vip\"}" : "{}"));
            }
            Journeys.send(server, identifies);
            server.awaitProcessed();
            assertThat(server.admin("/v1/journeys")
                            .json()
                            .at("/journeys/0/entry")
                            .asText())
                    .isEqualTo("every 1d at 10:00 UTC, members of vip");
            assertThat(server.admin("/v1/journeys")
                            .json()
                            .at("/journeys/1/entry")
                            .asText())
                    .isEqualTo("every 6h, every profile");

            // the dry run's reach is who a pass would enter now
            JsonNode dry =
                    server.adminSend("POST", "/v1/journeys/digest/dryrun", "").json();
            assertThat(dry.path("entered").asLong()).as(dry.toString()).isEqualTo(3);
            assertThat(dry.path("schedule").asText()).contains("every 1d");
            assertThat(server.adminSend("POST", "/v1/journeys/everyone/dryrun", "")
                            .json()
                            .path("entered")
                            .asLong())
                    .isEqualTo(PROFILES);
            // before its time a pass enters nobody
            assertThat(step(stats(server, "digest"), "0").path("entered").asLong())
                    .isZero();

            clock.advance(Duration.ofHours(1)); // 10:00: the vip pass
            until(server, "digest", s -> step(s, "0").path("sent").asLong() == 3);
            assertThat(step(stats(server, "everyone"), "0").path("entered").asLong())
                    .isZero();

            clock.advance(Duration.ofHours(5)); // 15:00: every profile, in two slices
            until(server, "everyone", s -> step(s, "0").path("sent").asLong() == PROFILES);
            JsonNode progress = progress(server);
            assertThat(progress.path("state").asText()).isEqualTo("idle");
            assertThat(progress.path("unit").asText()).isEqualTo("profiles");
            assertThat(progress.path("done").asLong()).isEqualTo(PROFILES);

            // 21:00: the next pass of a journey entered once enters nobody again
            clock.advance(Duration.ofHours(6));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> progress(server).path("passStartedAt").asText().equals("2026-01-05T21:00:00.000Z"));
            assertThat(progress(server).path("done").asLong()).isZero();
            assertThat(step(stats(server, "everyone"), "0").path("entered").asLong())
                    .isEqualTo(PROFILES);

            // down over Tuesday's 10:00 pass: it runs at once at the restart, and only once
            server.tandem().close();
            clock.advance(Duration.ofHours(14)); // Tuesday 11:00
            server.restart();
            until(server, "digest", s -> step(s, "0").path("sent").asLong() == 6);
            clock.advance(Duration.ofHours(2));
            server.awaitProcessed();
            assertThat(step(stats(server, "digest"), "0").path("entered").asLong())
                    .isEqualTo(6);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Journeys.received(receiver).size() == PROFILES + 6);
            assertThat(server.admin("/v1/admin/jobs").json().path("failing").toString())
                    .doesNotContain(ScheduledEntries.KIND);
        }
    }

    private static JsonNode progress(TestServer server) {
        for (JsonNode k : server.admin("/v1/admin/jobs").json().path("kinds")) {
            if (k.path("kind").asText().equals(ScheduledEntries.KIND)) {
                return k.path("progress");
            }
        }
        throw new AssertionError("no " + ScheduledEntries.KIND + " in /v1/admin/jobs");
    }
}
