package dev.tandem.connect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SLA state follows the receiver: breached while it fails, healthy again once it recovers and the
 * failures leave the window, with one alert per change; the dead letters can be replayed; the
 * routes refuse bad input, callers without credentials, and API tokens (these routes need the
 * admin token).
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class DestinationHealthTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    DestinationHealthTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void breachedAndBackWithOneAlertPerChange() throws Exception {
        TestClock clock = TestClock.standard();
        AtomicBoolean down = new AtomicBoolean(true);
        try (Receiver receiver = new Receiver();
                Receiver alerts = new Receiver()) {
            receiver.answer(r -> down.get() ? new Receiver.Answer(500, null, 0) : Receiver.Answer.OK);
            String yaml = """
                    destinations:
                      - key: crm
                        type: webhook
                        owners: [it-integrations]
                        settings: { url: "%s", secret: "%s", maxBatch: 1 }
                        purposes: [analytics]
                        events: "type == 'track'"
                        sla: { deliveredRatio: 0.9, latencyP95: 30m, maxBacklogAge: 30m, window: 2m, alertUrl: "%s" }
                    """.formatted(receiver.url("/hook"), WebhookDeliveryTest.SECRET, alerts.url("/alerts"));
            try (TestServer server = TestServer.withWorkspace(store, dir, yaml, clock)) {
                for (int i = 0; i < 3; i++) {
                    server.track(
                            "/v1/track",
                            "{\"userId\": \"u-" + i + "\", \"event\": \"Signed Up\", \"messageId\": \"s-" + i + "\"}");
                }
                server.awaitProcessed();
                await(() -> {
                    clock.advance(Duration.ofSeconds(10));
                    return state(server).equals("breached");
                });
                JsonNode breached = server.admin("/v1/destinations/crm/health").json();
                assertThat(breached.path("deliveredRatio").asDouble()).isLessThan(0.9);
                assertThat(breached.path("reasons").toString()).contains("below the objective");
                assertThat(breached.path("retrying").asLong()).isPositive();

                down.set(false);
                await(() -> {
                    clock.advance(Duration.ofSeconds(10));
                    return state(server).equals("healthy")
                            && receiver.accepted().size() >= 3;
                });
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> alerts.requests().size() >= 2);
                List<String> states = new ArrayList<>();
                alerts.requests().forEach(r -> states.add(r.json().path("state").asText()));
                assertThat(states.get(0)).isEqualTo("breached");
                assertThat(states.get(states.size() - 1)).isEqualTo("healthy");
                for (int i = 1; i < states.size(); i++) {
                    assertThat(states.get(i)).isNotEqualTo(states.get(i - 1));
                    assertThat(alerts.requests().get(i).json().path("previous").asText())
                            .isEqualTo(states.get(i - 1));
                }
                JsonNode history =
                        server.admin("/v1/destinations/crm/health").json().path("history");
                assertThat(history).hasSize(states.size());
                assertThat(history.get(0).path("state").asText()).isEqualTo("healthy");
                // each change is in the audit trail and in the change feed, as the alerts had it
                JsonNode audited = server.admin("/v1/audit?kind=destination.sla_state_changed&object=destination:crm")
                        .json()
                        .path("entries");
                assertThat(audited)
                        .extracting(e -> e.path("detail").path("state").asText())
                        .containsExactlyElementsOf(states);
                assertThat(server.admin("/v1/feed?topic=destinations")
                                .json()
                                .path("items")
                                .get(0)
                                .path("title")
                                .asText())
                        .isEqualTo("destination:crm is healthy (was " + states.get(states.size() - 2) + ")");

                String metrics = server.http().get("/metrics").body();
                assertThat(metrics).contains("tandem_destination_delivered_total{destination=\"crm\"} 3.0");
                assertThat(metrics).contains("tandem_destination_state{destination=\"crm\"} 0.0");
            }
        }
    }

    @Test
    void deadLettersReplayAndRoutesRefuseWhatTheyShould() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        try (Receiver receiver = new Receiver()) {
            receiver.answer(r -> refuse.get() ? new Receiver.Answer(422, null, 0) : Receiver.Answer.OK);
            String yaml = """
                    destinations:
                      - key: crm
                        type: webhook
                        owners: [it-integrations]
                        settings: { url: "%s", secret: "%s" }
                        purposes: [analytics]
                        events: "event == 'Order Completed'"
                    """.formatted(receiver.url("/hook"), WebhookDeliveryTest.SECRET);
            try (TestServer server = TestServer.withWorkspace(store, dir, yaml)) {
                server.track(
                        "/v1/track", "{\"userId\": \"u-1\", \"event\": \"Order Completed\", \"messageId\": \"o-1\"}");
                server.awaitProcessed();
                await(() -> server.admin("/v1/destinations/crm/dead-letters")
                                .json()
                                .path("deadLetters")
                                .size()
                        == 1);
                JsonNode letter = server.admin("/v1/destinations/crm/dead-letters")
                        .json()
                        .path("deadLetters")
                        .get(0);
                assertThat(letter.path("reason").asText()).contains("HTTP 422");
                assertThat(letter.path("had").path("messageId").asText()).isEqualTo("o-1");
                assertThat(letter.path("response").asText()).startsWith("HTTP 422");
                long id = letter.path("id").asLong();
                assertThat(server.admin("/v1/destinations/crm/dead-letters/" + id)
                                .json()
                                .path("reason")
                                .asText())
                        .isEqualTo(letter.path("reason").asText());

                JsonNode list = server.admin("/v1/destinations")
                        .json()
                        .path("destinations")
                        .get(0);
                assertThat(list.path("key").asText()).isEqualTo("crm");
                assertThat(list.path("settings").path("secret").asText()).isEqualTo("***");
                assertThat(list.toString()).doesNotContain(WebhookDeliveryTest.SECRET);

                refuse.set(false);
                Http.Response replay =
                        server.adminSend("POST", "/v1/destinations/crm/dead-letters/replay", "{\"ids\": [" + id + "]}");
                assertThat(replay.status()).as(replay.body()).isEqualTo(202);
                await(() -> WebhookDeliveryTest.messages(receiver, "/hook").stream()
                        .anyMatch(m -> m.path("messageId").asText().equals("o-1")));
                assertThat(server.admin("/v1/destinations/crm/dead-letters/" + id)
                                .json()
                                .path("replayedAt")
                                .asText())
                        .isNotEmpty();

                assertError(server.admin("/v1/destinations/nope/health"), 404, "unknown_destination");
                assertError(server.admin("/v1/destinations/crm/dead-letters?limit=0"), 400, "invalid_limit");
                assertError(server.admin("/v1/destinations/crm/dead-letters?after=x"), 400, "invalid_after");
                assertError(server.admin("/v1/destinations/crm/dead-letters/999999"), 404, "unknown_dead_letter");
                String path = "/v1/destinations/crm/dead-letters/replay";
                assertError(server.adminSend("POST", path, "{\"ids\": [1"), 400, "invalid_json");
                assertError(server.adminSend("POST", path, "{\"ids\": \"all\"}"), 400, "invalid_ids");
                assertError(server.adminSend("POST", path, "{\"ids\": [-1]}"), 400, "invalid_ids");
                assertError(server.adminSend("POST", path, "{\"every\": true}"), 400, "unknown_field");
                assertThat(server.adminSend("POST", path, "{\"ids\": [" + "1,".repeat(1_200_000) + "1]}")
                                .status())
                        .isIn(400, 413);
                assertError(
                        server.adminSend("POST", "/v1/destinations/nope/dead-letters/replay", "{\"ids\": [1]}"),
                        404,
                        "unknown_destination");

                String token = server.adminSend(
                                "POST",
                                "/v1/admin/tokens",
                                "{\"name\": \"reader\", \"scopes\": [\"profiles:read\"], \"purposes\": [\"analytics\"]}")
                        .json()
                        .path("token")
                        .asText();
                for (String route : List.of(
                        "/v1/destinations",
                        "/v1/destinations/types",
                        "/v1/destinations/crm/health",
                        "/v1/destinations/crm/dead-letters")) {
                    assertError(server.http().get(route), 401, "missing_token");
                    assertError(server.http().get(route, "Authorization", "Bearer " + token), 401, "invalid_token");
                }
                assertError(server.http().post(path, "{}"), 401, "missing_token");
                assertError(server.http().post(path, "{}", "Authorization", "Bearer " + token), 401, "invalid_token");
                JsonNode types = server.admin("/v1/destinations/types").json().path("types");
                assertThat(types.findValuesAsText("name")).contains("webhook", "segment", "file");
            }
        }
    }

    private static String state(TestServer server) {
        return server.admin("/v1/destinations/crm/health").json().path("state").asText();
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(condition);
    }
}
