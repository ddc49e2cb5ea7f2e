package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A receiver that fails (500), times out, and answers 429 with Retry-After at random, refuses one
 * user's events for good (400), and is down for another's (503 always). Moving a test clock drives
 * the retries: every other event is delivered at least once, each user's events are first
 * accepted in the order they were sent, and the dead letters hold exactly what was given up on,
 * with the reasons.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class FaultyReceiverTest {
    private static final List<String> USERS = List.of("u-0", "u-1", "u-2", "u-3", "u-bad", "u-down");

    private final StoreKind store;

    @TempDir
    Path dir;

    FaultyReceiverTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void everythingArrivesInOrderOrIsADeadLetterWithItsReason() throws Exception {
        TestClock clock = TestClock.standard();
        Random random = new Random(42);
        try (Receiver receiver = new Receiver()) {
            receiver.answer(r -> {
                String body = r.body();
                if (body.contains("\"u-bad\"")) {
                    return new Receiver.Answer(400, null, 0);
                }
                if (body.contains("\"u-down\"")) {
                    return new Receiver.Answer(503, null, 0);
                }
                synchronized (random) {
                    int roll = random.nextInt(100);
                    if (roll < 25) {
                        return new Receiver.Answer(500, null, 0);
                    }
                    if (roll < 40) {
                        return new Receiver.Answer(429, "20", 0);
                    }
                    if (roll < 43) {
                        return new Receiver.Answer(200, null, 1_500);
                    }
                }
                return Receiver.Answer.OK;
            });
            String yaml = """
                    destinations:
                      - key: flaky
                        type: webhook
                        owners: [it-integrations]
                        settings: { url: "%s", secret: "%s", maxBatch: 1, timeout: 1s }
                        purposes: [analytics]
                        events: "type == 'track'"
                        retryWindow: 30m
                    """.formatted(receiver.url("/hook"), WebhookDeliveryTest.SECRET);
            try (TestServer server = TestServer.withWorkspace(store, dir, yaml, clock)) {
                Map<String, Integer> perUser = Map.of("u-bad", 3, "u-down", 3);
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    for (String user : USERS) {
                        if (i < perUser.getOrDefault(user, 8)) {
                            String id = user + "-e" + i;
                            sent.add(id);
                            server.track(
                                    "/v1/track",
                                    "{\"userId\": \"" + user + "\", \"event\": \"Step\", \"messageId\": \"" + id
                                            + "\"}");
                        }
                    }
                }
                server.awaitProcessed();
                Set<String> expectedDead = new HashSet<>();
                sent.stream()
                        .filter(id -> id.startsWith("u-bad") || id.startsWith("u-down"))
                        .forEach(expectedDead::add);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline && !settled(server, receiver, sent)) {
                    clock.advance(Duration.ofSeconds(30));
                    Thread.sleep(100);
                }
                assertThat(settled(server, receiver, sent))
                        .as("every event accepted or a dead letter; health "
                                + server.admin("/v1/destinations/flaky/health").body())
                        .isTrue();

                // at least once, in order per user (by first acceptance)
                Map<String, Integer> last = new HashMap<>();
                Set<String> seen = new HashSet<>();
                for (JsonNode m : receiver.accepted()) {
                    String id = m.path("messageId").asText();
                    if (!seen.add(id)) {
                        continue;
                    }
                    String user = m.path("userId").asText();
                    int n = Integer.parseInt(id.substring(id.lastIndexOf('e') + 1));
                    assertThat(n)
                            .as("first acceptance of " + id + " after event " + last.get(user))
                            .isGreaterThan(last.getOrDefault(user, -1));
                    last.put(user, n);
                }
                assertThat(seen).doesNotContainAnyElementsOf(expectedDead);

                // the dead letters: exactly what was given up on, each with why, what was sent and what came back
                List<JsonNode> dead = deadLetters(server);
                Map<String, JsonNode> byId = new HashMap<>();
                dead.forEach(d -> byId.put(d.path("had").path("messageId").asText(), d));
                assertThat(byId).hasSameSizeAs(dead);
                assertThat(byId.keySet()).containsAll(expectedDead);
                for (JsonNode d : dead) {
                    String id = d.path("had").path("messageId").asText();
                    assertThat(d.path("sent").path("messageId").asText()).isEqualTo(id);
                    if (id.startsWith("u-bad")) {
                        assertThat(d.path("reason").asText()).contains("refused it with HTTP 400");
                        assertThat(d.path("attempts").asInt()).isEqualTo(1);
                    } else {
                        // given up on after the retry window: never acknowledged, or only after Tandem stopped waiting
                        assertThat(d.path("reason").asText()).startsWith("gave up after");
                        assertThat(d.path("attempts").asInt()).isGreaterThan(1);
                        if (id.startsWith("u-down")) {
                            assertThat(d.path("response").asText()).startsWith("HTTP 503");
                        } else if (seen.contains(id)) {
                            assertThat(d.path("reason").asText()).contains("no answer within");
                        }
                    }
                }
                Set<String> undelivered = new HashSet<>(sent);
                undelivered.removeAll(seen);
                assertThat(byId.keySet()).containsAll(undelivered);
                JsonNode health = server.admin("/v1/destinations/flaky/health").json();
                assertThat(health.path("deadLettered").asLong()).isEqualTo(dead.size());
                assertThat(health.path("backlog").asLong()).isZero();
            }
        }
    }

    /** Whether every event was accepted or is a dead letter, and nothing waits. */
    private static boolean settled(TestServer server, Receiver receiver, List<String> sent) {
        Set<String> done = accepted(receiver);
        deadLetters(server)
                .forEach(d -> done.add(d.path("had").path("messageId").asText()));
        return done.containsAll(sent)
                && server.admin("/v1/destinations/flaky/health")
                                .json()
                                .path("backlog")
                                .asLong()
                        == 0;
    }

    private static Set<String> accepted(Receiver receiver) {
        Set<String> ids = new HashSet<>();
        receiver.accepted().forEach(m -> ids.add(m.path("messageId").asText()));
        return ids;
    }

    private static List<JsonNode> deadLetters(TestServer server) {
        List<JsonNode> out = new ArrayList<>();
        server.admin("/v1/destinations/flaky/dead-letters?limit=1000")
                .json()
                .path("deadLetters")
                .forEach(out::add);
        return out;
    }
}
