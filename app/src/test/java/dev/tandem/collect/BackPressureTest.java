package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the store cannot keep up or the disk is full, Tandem says so with 429/503 and Retry-After. */
class BackPressureTest {
    @TempDir
    Path dir;

    private static String batch(String prefix, int events) {
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < events; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"messageId\":\"")
                    .append(prefix)
                    .append(i)
                    .append("\"}");
        }
        return body.append("]}").toString();
    }

    @Test
    void whileTheStoreIsBlockedFurtherCallsGet429AndTheWaitingOneCompletesAfterwards() throws Exception {
        try (TestServer server =
                TestServer.start(StoreKind.SQLITE, dir, Clock.systemUTC(), Map.of("maxPendingEvents", "1000"))) {
            CompletableFuture<Http.Response> first;
            try (Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("inbox.db"));
                    Statement statement = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                statement.execute("INSERT INTO quarantine (source_id, received_at, code, message, payload)"
                        + " VALUES ('lock', 0, 'lock', 'held', '{}')");
                first = CompletableFuture.supplyAsync(() -> server.track("/v1/batch", batch("a", 600)));
                await().atMost(Duration.ofSeconds(5))
                        .until(() ->
                                server.http().get("/metrics").body().contains("tandem_inbox_pending_events 600.0"));

                Http.Response refused = server.track("/v1/batch", batch("b", 600));
                assertError(refused, 429, "overloaded");
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(first).isNotDone();
                blocker.rollback();
            }
            assertThat(first.get().status()).isEqualTo(200);
            assertThat(server.events())
                    .hasSize(600)
                    .allMatch(e -> e.get("messageId").asText().startsWith("a"));
        }
    }

    @Test
    void belowTheDiskReserveEventsGet503AndReadinessFails() {
        try (TestServer server =
                TestServer.start(StoreKind.SQLITE, dir, Clock.systemUTC(), Map.of("diskReserveMb", "1000000"))) {
            Http.Response response = server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}");
            assertError(response, 503, "disk_full");
            assertThat(response.header("Retry-After")).isEqualTo("30");
            Http.Response ready = server.http().get("/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().at("/checks/disk").asText()).isEqualTo("below reserve");
            assertThat(server.events()).isEmpty();
        }
    }

    @Test
    void healthReadinessAndMetricsAnswer() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}");
            assertThat(server.http().get("/health").json().get("status").asText())
                    .isEqualTo("up");
            assertThat(server.http().get("/ready").json().get("status").asText())
                    .isEqualTo("ready");
            String metrics = server.http().get("/metrics").body();
            assertThat(metrics)
                    .contains(
                            "tandem_collect_received_total 1.0",
                            "tandem_collect_accepted_total 1.0",
                            "tandem_inbox_commit_seconds_bucket",
                            "tandem_collect_rejected_total 0.0");
        }
    }
}
