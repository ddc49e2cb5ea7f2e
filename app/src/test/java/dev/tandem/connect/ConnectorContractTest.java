package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.Json;
import dev.tandem.testing.KafkaBroker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every registered connector type keeps, run against each: its settings are
 * declared with a doc line each and unique names; it answers one outcome per item, in order; an
 * acknowledged batch is delivered; a tool that fails for now gets a retry and one that refuses
 * gets a rejection (for connectors that talk to a tool over HTTP; for kafka, a record too large
 * for the broker is rejected). A new connector adds its fixture here: the test fails for a type
 * without one.
 */
class ConnectorContractTest {
    /** Settings that point a type at the test's receiver (or directory, or broker), by type name. */
    private static final Map<String, BiFunction<Receiver, Path, Map<String, Object>>> FIXTURES = Map.of(
            "webhook", (r, d) -> Map.of("url", URI.create(r.url("/hook")), "secret", WebhookDeliveryTest.SECRET),
            "segment", (r, d) -> Map.of("url", URI.create(r.url("")), "writeKey", "wk_contract"),
            "file", (r, d) -> Map.of("directory", d.toString()),
            "kafka", (r, d) -> Map.of("bootstrapServers", broker().bootstrap(), "topic", "contract"));
    /** Types that deliver over HTTP, so the receiver's answers reach them. */
    private static final List<String> HTTP = List.of("webhook", "segment");

    @TempDir
    Path dir;

    @TempDir
    static Path brokerDir;

    /** Started for the kafka fixture only, at its first use. */
    private static KafkaBroker broker;

    private static KafkaBroker broker() {
        if (broker == null) {
            broker = KafkaBroker.start(brokerDir);
        }
        return broker;
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static Stream<ConnectorType> types() {
        return Connectors.builtIn().all().stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void keepsTheContract(ConnectorType type) throws Exception {
        assertThat(FIXTURES).as("a contract fixture for " + type.name()).containsKey(type.name());
        assertThat(type.name()).matches("[a-z][a-z0-9-]*");
        assertThat(type.description()).isNotBlank();
        assertThat(type.settings()).extracting(SettingSpec::name).doesNotHaveDuplicates();
        assertThat(type.settings()).allMatch(s -> !s.doc().isBlank());
        try (Receiver receiver = new Receiver()) {
            Settings settings = Settings.of(type, FIXTURES.get(type.name()).apply(receiver, dir));
            assertThat(type.style(settings).maxBatch()).isPositive();
            try (Connector connector =
                    type.open(settings, new ConnectorContext("contract", Clock.systemUTC(), Json.mapper(), dir))) {
                DeliveryBatch batch = batch(3);
                List<Outcome> ok = connector.deliver(batch);
                assertThat(ok).hasSize(3).allMatch(o -> o instanceof Outcome.Delivered);
                if (HTTP.contains(type.name())) {
                    assertThat(receiver.accepted())
                            .extracting(m -> m.path("messageId").asText())
                            .containsExactly("c-0", "c-1", "c-2");
                    receiver.answer(r -> new Receiver.Answer(503, "30", 0));
                    List<Outcome> later = connector.deliver(batch(2));
                    assertThat(later)
                            .hasSize(2)
                            .allMatch(o -> o instanceof Outcome.Retry retry && retry.notBefore() != null);
                    receiver.answer(r -> new Receiver.Answer(400, null, 0));
                    assertThat(connector.deliver(batch(2))).hasSize(2).allMatch(o -> o instanceof Outcome.Rejected);
                } else if (type.name().equals("kafka")) {
                    List<ConsumerRecord<String, String>> records = broker().read("contract", 3, Duration.ofSeconds(30));
                    assertThat(records)
                            .extracting(r -> Json.mapper()
                                    .readTree(r.value())
                                    .path("messageId")
                                    .asText())
                            .containsExactly("c-0", "c-1", "c-2");
                    assertThat(records).allMatch(r -> r.key().equals("1"));
                    DeliveryBatch tooLarge = batch(2);
                    tooLarge.items().get(1).message().putObject("properties").put("blob", "x".repeat(2 << 20));
                    List<Outcome> outcomes = connector.deliver(tooLarge);
                    assertThat(outcomes.get(0)).isInstanceOf(Outcome.Delivered.class);
                    assertThat(outcomes.get(1))
                            .isInstanceOfSatisfying(
                                    Outcome.Rejected.class,
                                    o -> assertThat(o.reason()).contains("RecordTooLargeException"));
                } else {
                    try (Stream<Path> files = Files.list(dir)) {
                        assertThat(files.count()).isPositive();
                    }
                }
            }
        }
    }

    private static DeliveryBatch batch(int n) {
        List<Delivery> items = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode m = Json.mapper().createObjectNode();
            m.put("type", "track")
                    .put("event", "Contract")
                    .put("messageId", "c-" + i)
                    .put("userId", "u-" + i);
            m.put("timestamp", "2026-01-05T09:00:00Z");
            m.putObject("context").putObject("tandem").put("profileId", "1");
            items.add(new Delivery("c-" + i, 1, m));
        }
        return new DeliveryBatch("msg_contract" + n, items);
    }
}
