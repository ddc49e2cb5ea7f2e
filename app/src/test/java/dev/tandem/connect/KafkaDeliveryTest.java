package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.Json;
import dev.tandem.testing.KafkaBroker;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kafka: events sent through {@code /v1/batch} arrive in a real broker's topic (KRaft, started
 * from the Maven artifacts), keyed by profile, in order per profile, with the idempotency key in a
 * header; while the broker is down the items wait in the outbox as retries, nothing lost, and they
 * arrive, in order, once it is up.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class KafkaDeliveryTest {
    private static final int PROFILES = 4;
    private static final int STEPS = 10;

    @TempDir
    static Path brokerDir;

    private static KafkaBroker broker;

    private final StoreKind store;

    @TempDir
    Path dir;

    KafkaDeliveryTest(StoreKind store) {
        this.store = store;
    }

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static String workspace(String bootstrap, String topic, String more) {
        return """
                destinations:
                  - key: stream
                    type: kafka
                    owners: [data-platform]
                    settings: { bootstrapServers: "%s", topic: "%s", compression: lz4, maxBatch: 7%s }
                    purposes: [analytics]
                    events: "type == 'track'"
                """.formatted(bootstrap, topic, more);
    }

    /** Steps 0..STEPS-1 of PROFILES users, interleaved, in one /v1/batch. */
    private static String steps(String prefix) {
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < STEPS; i++) {
            for (int u = 0; u < PROFILES; u++) {
                if (batch.charAt(batch.length() - 1) != '[') {
                    batch.append(',');
                }
                batch.append(
                        "{\"type\": \"track\", \"userId\": \"%s-%d\", \"event\": \"Step\", \"messageId\": \"%s-%d-%d\", \"properties\": {\"step\": %d}}"
                                .formatted(prefix, u, prefix, u, i, i));
            }
        }
        return batch.append("]}").toString();
    }

    private static List<Integer> steps(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }

    @Test
    void eventsArriveInARealBrokersTopicKeyedByProfileInOrderPerProfile() throws Exception {
        String topic = "tandem.events." + store.name().toLowerCase(java.util.Locale.ROOT);
        broker.createTopic(topic, 3);
        try (TestServer server = TestServer.withWorkspace(store, dir, workspace(broker.bootstrap(), topic, ""))) {
            assertThat(server.track("/v1/batch", steps("u")).status()).isEqualTo(200);
            server.awaitProcessed();
            List<ConsumerRecord<String, String>> records = broker.read(topic, PROFILES * STEPS, Duration.ofSeconds(30));
            assertThat(records).hasSize(PROFILES * STEPS);

            Map<String, String> profileOf = new LinkedHashMap<>();
            for (int u = 0; u < PROFILES; u++) {
                profileOf.put(
                        "u-" + u,
                        server.profile("user_id:u-" + u, "traits")
                                .json()
                                .path("profile_id")
                                .asText());
            }
            assertThat(new HashSet<>(profileOf.values())).hasSize(PROFILES);
            Map<String, List<Integer>> stepsByKey = new LinkedHashMap<>();
            Set<Integer> partitions = new HashSet<>();
            for (ConsumerRecord<String, String> r : records) {
                JsonNode m = Json.mapper().readTree(r.value());
                assertThat(r.key())
                        .isEqualTo(profileOf.get(m.path("userId").asText()))
                        .isEqualTo(m.path("context")
                                .path("tandem")
                                .path("profileId")
                                .asText());
                assertThat(new String(r.headers().lastHeader("tandem-id").value(), StandardCharsets.UTF_8))
                        .isEqualTo(m.path("messageId").asText());
                assertThat(m.path("type").asText()).isEqualTo("track");
                assertThat(m.has("writeKey")).isFalse();
                stepsByKey
                        .computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(m.path("properties").path("step").asInt());
                partitions.add(r.partition());
            }
            assertThat(stepsByKey.keySet()).containsExactlyInAnyOrderElementsOf(profileOf.values());
            assertThat(stepsByKey.values())
                    .allSatisfy(steps -> assertThat(steps).isEqualTo(steps(STEPS)));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.admin("/v1/destinations/stream/health")
                                    .json()
                                    .path("delivered")
                                    .asLong()
                            == PROFILES * STEPS);
            JsonNode listed = server.admin("/v1/destinations")
                    .json()
                    .path("destinations")
                    .get(0)
                    .path("settings");
            assertThat(listed.path("topic").asText()).isEqualTo(topic);
            assertThat(listed.path("compression").asText()).isEqualTo("lz4");
            assertThat(listed.path("password").isNull()).isTrue();
            JsonNode types = server.admin("/v1/destinations/types").json();
            assertThat(types.findValuesAsText("name")).contains("kafka", "bootstrapServers", "topic");
        }
    }

    @Test
    void whileTheBrokerIsDownItemsWaitAsRetriesAndArriveOnceItIsUp(@TempDir Path down) throws Exception {
        KafkaBroker later = KafkaBroker.prepare(down);
        try (later) {
            TestClock clock = TestClock.standard();
            String yaml = workspace(later.bootstrap(), "tandem.later", ", timeout: 2s");
            try (TestServer server = TestServer.withWorkspace(store, dir, yaml, clock)) {
                assertThat(server.track("/v1/batch", steps("w")).status()).isEqualTo(200);
                server.awaitProcessed();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> server.admin("/v1/destinations/stream/health")
                                        .json()
                                        .path("retrying")
                                        .asLong()
                                > 0);
                JsonNode health = server.admin("/v1/destinations/stream/health").json();
                assertThat(health.path("delivered").asLong()).isZero();
                assertThat(health.path("deadLettered").asLong()).isZero();

                later.start();
                // past every backoff and the circuit breaker's pause, on Tandem's clock
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            clock.advance(Duration.ofMinutes(6));
                            return server.admin("/v1/destinations/stream/health")
                                            .json()
                                            .path("delivered")
                                            .asLong()
                                    >= PROFILES * STEPS;
                        });
                List<ConsumerRecord<String, String>> records =
                        later.read("tandem.later", PROFILES * STEPS, Duration.ofSeconds(30));
                Map<String, List<Integer>> stepsByUser = new LinkedHashMap<>();
                Set<String> ids = new HashSet<>();
                for (ConsumerRecord<String, String> r : records) {
                    JsonNode m = Json.mapper().readTree(r.value());
                    ids.add(m.path("messageId").asText());
                    stepsByUser
                            .computeIfAbsent(m.path("userId").asText(), k -> new ArrayList<>())
                            .add(m.path("properties").path("step").asInt());
                }
                assertThat(ids).hasSize(PROFILES * STEPS);
                // at least once: a resend may repeat a step, never put one before an earlier one
                assertThat(stepsByUser).hasSize(PROFILES);
                assertThat(stepsByUser.values())
                        .allSatisfy(steps ->
                                assertThat(steps.stream().distinct().toList()).containsExactlyElementsOf(steps(STEPS)));
                assertThat(server.admin("/v1/destinations/stream/health")
                                .json()
                                .path("deadLettered")
                                .asLong())
                        .isZero();
            }
        }
    }
}
