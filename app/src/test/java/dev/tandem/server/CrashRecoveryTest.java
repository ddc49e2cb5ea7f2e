package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.ServerProcess;
import dev.tandem.testing.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server runs as its own process; clients send batches; the process is killed with SIGKILL
 * mid-stream and started again. Every acknowledged event must be there exactly once, and sending
 * everything again (as SDKs retry) must not create a single duplicate.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class CrashRecoveryTest {
    private static final String TOKEN = "crash-test-admin-token-123";
    private static final String WRITE_KEY = "wk_crash_test";
    private final StoreKind store;

    @TempDir
    Path dir;

    CrashRecoveryTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void everyAcknowledgedEventSurvivesKillDashNineExactlyOnce() throws Exception {
        Path workspace = dir.resolve("tandem.yaml");
        Files.writeString(workspace, "sources:\n  - name: crash\n    writeKey: " + WRITE_KEY + "\n");
        String databaseUrl = store == StoreKind.POSTGRESQL ? Postgres.freshDatabaseUrl() : null;
        int port = ServerProcess.freePort();
        Process server = ServerProcess.start(dir, port, workspace, databaseUrl, TOKEN);
        Http http = new Http("http://localhost:" + port);

        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> {
                for (int batch = 0; !stop.get(); batch++) {
                    List<String> ids = new ArrayList<>();
                    StringBuilder body = new StringBuilder("{\"batch\":[");
                    for (int i = 0; i < 20; i++) {
                        String id = "c" + client + "-b" + batch + "-e" + i;
                        ids.add(id);
                        body.append(i == 0 ? "" : ",")
                                .append("{\"type\":\"track\",\"userId\":\"u")
                                .append(i)
                                .append("\",\"event\":\"Crash Test\",\"messageId\":\"")
                                .append(id)
                                .append("\"}");
                    }
                    String json = body.append("]}").toString();
                    bodies.add(json);
                    try {
                        if (http.post("/v1/batch", json, "Authorization", Http.basic(WRITE_KEY))
                                        .status()
                                == 200) {
                            acknowledged.addAll(ids);
                        }
                    } catch (AssertionError connectionLost) {
                        return null;
                    }
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 2_000);
        server.destroyForcibly().waitFor();
        stop.set(true);
        clients.shutdown();
        clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);

        Process again = ServerProcess.start(dir, port, workspace, databaseUrl, TOKEN);
        try {
            Map<String, Integer> stored = countBy(http, "messageId");
            assertThat(acknowledged).isNotEmpty();
            for (String id : acknowledged) {
                assertThat(stored.get(id)).as("acknowledged event " + id).isEqualTo(1);
            }
            assertThat(stored.values()).allMatch(count -> count == 1);
            assertProfilesCountEveryStoredEventOnce(http);

            for (String json : bodies) {
                assertThat(http.post("/v1/batch", json, "Authorization", Http.basic(WRITE_KEY))
                                .status())
                        .isEqualTo(200);
            }
            Map<String, Integer> afterRetry = countBy(http, "messageId");
            assertThat(afterRetry).hasSize(bodies.size() * 20);
            assertThat(afterRetry.values()).allMatch(count -> count == 1);
        } finally {
            again.destroy();
            again.waitFor();
        }
    }

    /**
     * The processor was applying events when the process died: after the restart it resumes at its
     * durable cursor, and each user's profile counts exactly the stored events of that user.
     */
    private static void assertProfilesCountEveryStoredEventOnce(Http http) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> http.get("/v1/admin/processor", "Authorization", "Bearer " + TOKEN)
                                .json()
                                .path("lagEvents")
                                .asLong()
                        == 0);
        Map<String, Integer> byUser = countBy(http, "userId");
        assertThat(byUser).isNotEmpty();
        byUser.forEach((user, count) -> assertThat(
                        http.get("/v1/profiles/user_id:" + user + "/metadata", "Authorization", "Bearer " + TOKEN)
                                .json()
                                .path("events")
                                .asInt())
                .as("events on the profile of " + user)
                .isEqualTo(count));
    }

    /** How many stored events have each value of {@code field}, read through all pages of /v1/events. */
    private static Map<String, Integer> countBy(Http http, String field) {
        Map<String, Integer> counts = new HashMap<>();
        String after = "";
        while (true) {
            JsonNode page = http.get(
                            "/v1/events?limit=1000" + (after.isEmpty() ? "" : "&after=" + after),
                            "Authorization",
                            "Bearer " + TOKEN)
                    .json();
            page.get("events").forEach(e -> counts.merge(e.get(field).asText(), 1, Integer::sum));
            if (page.get("events").size() < 1000) {
                return counts;
            }
            after = page.get("next").asText();
        }
    }
}
