package dev.tandem.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.ProfileSnapshot;
import dev.tandem.testing.ServerProcess;
import dev.tandem.testing.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server, in a process of its own, is killed with SIGKILL while its processor applies a large
 * backlog of new customers (identify with user id, anonymous id, email, phone and traits), merges of
 * anonymous visitors into them, orders and page views. After the restart and the drain, every
 * profile (traits, computed traits, identifiers, event count, audience memberships) must equal what
 * a replay of the same inbox from scratch builds.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ProcessorCrashReplayTest {
    private static final String TOKEN = "processor-crash-admin-token-1";
    private static final String WRITE_KEY = "wk_processor_crash";
    private static final int CUSTOMERS = 600;
    private static final String WORKSPACE = """
            sources:
              - name: crash
                writeKey: %s
            profiles:
              computedTraits:
                - name: orders
                  aggregate: count
                  event: Order Completed
                - name: spent
                  aggregate: sum
                  property: properties.revenue
            audiences:
              - key: pro_plan
                name: Pro plan
                owners: [marketing]
                condition: traits.plan == "pro"
              - key: repeat_buyers
                name: Repeat buyers
                owners: [marketing]
                condition: computed.orders >= 2 && computed.spent > 100
            """.formatted(WRITE_KEY);
    private final StoreKind store;

    @TempDir
    Path dir;

    ProcessorCrashReplayTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void profilesAfterKillDashNineMidBacklogEqualAReplayFromScratch() throws Exception {
        Path workspace = dir.resolve("tandem.yaml");
        Files.writeString(workspace, WORKSPACE);
        String databaseUrl = store == StoreKind.POSTGRESQL ? Postgres.freshDatabaseUrl() : null;
        int port = ServerProcess.freePort();
        Http http = new Http("http://localhost:" + port);
        List<String> batches = CrashTraffic.batches(CUSTOMERS, 100);
        int events = batches.size() * 100;

        Process server = ServerProcess.start(dir, port, workspace, databaseUrl, TOKEN);
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> {
                for (int b = client; b < batches.size(); b += 4) {
                    try {
                        if (send(http, batches.get(b)) == 200) {
                            acknowledged.add(b);
                        }
                    } catch (AssertionError connectionLost) {
                        return;
                    }
                }
            });
        }
        JsonNode atKill = await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> status(http), s -> s.path("cursor").asLong() >= events / 4);
        server.destroyForcibly().waitFor();
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(atKill.path("lagEvents").asLong())
                .as("the processor still had a backlog when the process was killed")
                .isGreaterThan(1_000);

        Process again = ServerProcess.start(dir, port, workspace, databaseUrl, TOKEN);
        try {
            for (int b = 0; b < batches.size(); b++) {
                if (!acknowledged.contains(b)) {
                    assertThat(send(http, batches.get(b))).isEqualTo(200);
                }
            }
            awaitDrained(http);
            List<String> identifiers = CrashTraffic.identifiers(CUSTOMERS);
            List<String> afterCrash = ProfileSnapshot.withAudiences(http, TOKEN, identifiers);
            assertThat(status(http).path("latest").asLong()).isEqualTo(events);

            JsonNode replay = http.post("/v1/admin/replay", "", "Authorization", "Bearer " + TOKEN)
                    .json();
            assertThat(replay.path("replayTarget").asLong()).isEqualTo(events);
            awaitDrained(http);
            List<String> fromScratch = ProfileSnapshot.withAudiences(http, TOKEN, identifiers);

            assertThat(afterCrash).isEqualTo(fromScratch);
            assertThat(afterCrash)
                    .as("anonymous visitors were merged into their customers")
                    .anyMatch(line -> line.startsWith("[anonymous_id:anon-") && line.contains("user_id:user-"));
            assertThat(afterCrash).anyMatch(line -> line.contains("audiences=[pro_plan, repeat_buyers]"));
            assertThat(afterCrash).anyMatch(line -> line.contains("audiences=[]"));
            assertThat(afterCrash).anyMatch(line -> line.contains("\"phone\":\"+44207946"));
        } finally {
            again.destroy();
            again.waitFor();
        }
    }

    private static int send(Http http, String body) {
        return http.post("/v1/batch", body, "Authorization", Http.basic(WRITE_KEY))
                .status();
    }

    private static JsonNode status(Http http) {
        return http.get("/v1/admin/processor", "Authorization", "Bearer " + TOKEN)
                .json();
    }

    /** Waits until every stored event is applied and no replay is under way; nothing may be set aside. */
    private static void awaitDrained(Http http) {
        JsonNode done = await().atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> status(http),
                        s -> s.path("lagEvents").asLong() == 0
                                && s.path("state").asText().equals("running"));
        assertThat(done.path("setAside").asLong()).isZero();
    }
}
