package dev.tandem.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.Http;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.ServerProcess;
import dev.tandem.testing.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tandem runs as its own process; it is killed with SIGKILL during a burst of journey sends to a
 * slow receiver and started again. Afterwards every send reached the receiver at least once, and
 * the receiver's count deduplicated by message id (the send id) equals the journey's sent count.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyCrashTest {
    private static final String TOKEN = "journey-crash-admin-token-1";
    private static final String WRITE_KEY = "wk_journey_crash";
    private static final int PROFILES = 200;
    private final StoreKind store;

    @TempDir
    Path dir;

    JourneyCrashTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void everySendArrivesAndDuplicatesShareTheirId() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer(r -> new Receiver.Answer(200, null, 10));
            Path workspace = dir.resolve("tandem.yaml");
            Files.writeString(workspace, """
                    sources:
                      - name: crash
                        writeKey: %s
                    %s
                    journeys:
                      - key: burst
                        owners: [marketing]
                        entry: { event: "event == 'Signed Up'" }
                        steps:
                          - send: { destination: email_tool, message: { template: one } }
                          - send: { destination: email_tool, message: { template: two } }
                    """.formatted(
                            WRITE_KEY, Journeys.destination(receiver).replace("maxBatch: 500", "maxBatch: 25")));
            String databaseUrl = store == StoreKind.POSTGRESQL ? Postgres.freshDatabaseUrl() : null;
            int port = ServerProcess.freePort();
            Process server = ServerProcess.start(dir, port, workspace, databaseUrl, TOKEN);
            Http http = new Http("http://localhost:" + port);
            List<String> events = new ArrayList<>();
            for (int i = 0; i < PROFILES; i++) {
                events.add(Journeys.identify("c-" + i, true, "{}"));
                events.add(Journeys.track("c-" + i, "Signed Up", "su-" + i, "{}"));
            }
            for (int from = 0; from < events.size(); from += 200) {
                String body = "{\"batch\": [" + String.join(",", events.subList(from, from + 200)) + "]}";
                assertThat(http.post("/v1/batch", body, "Authorization", Http.basic(WRITE_KEY))
                                .status())
                        .isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Journeys.received(receiver).size() >= 50);
            server.destroyForcibly().waitFor();
            assertThat(Journeys.received(receiver).size()).isLessThan(2 * PROFILES);

            Process again = ServerProcess.start(dir, port, workspace, databaseUrl, TOKEN);
            try {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> Journeys.received(receiver).size() >= 2 * PROFILES);
                JsonNode stats = http.get("/v1/journeys/burst/stats", "Authorization", "Bearer " + TOKEN)
                        .json();
                assertThat(Journeys.sent(stats)).isEqualTo(2L * PROFILES);
                assertThat(Journeys.received(receiver)).hasSize(2 * PROFILES);
                assertThat(Journeys.received(receiver).keySet()).allMatch(id -> id.startsWith("jr_"));
            } finally {
                again.destroy();
                again.waitFor();
            }
        }
    }
}
