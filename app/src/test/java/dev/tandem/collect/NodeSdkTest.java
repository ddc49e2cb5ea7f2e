package dev.tandem.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Segment's and RudderStack's Node SDKs from npm (sdks/), unchanged, pointed at Tandem: every call type round-trips. */
class NodeSdkTest extends ServerPerTest {
    private static final Path SDKS = Path.of("..", "sdks").toAbsolutePath().normalize();

    NodeSdkTest() {
        super(StoreKind.SQLITE);
    }

    @Test
    void segmentNodeSdkSendsEveryCallType() throws Exception {
        Map<String, JsonNode> byId = run("segment", "sn-");
        assertThat(byId.get("sn-track").at("/context/library/name").asText()).isEqualTo("@segment/analytics-node");
        // stamped an hour ago by the SDK's clock, as sentAt was: the corrected time says so
        Instant corrected = Instant.parse(byId.get("sn-track").get("timestamp").asText());
        assertThat(Duration.between(Instant.now().minus(Duration.ofHours(1)), corrected)
                        .abs())
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void rudderStackNodeSdkSendsEveryCallTypeGzipped() throws Exception {
        Map<String, JsonNode> byId = run("rudderstack", "rn-");
        assertThat(byId.get("rn-track").at("/context/library/name").asText()).isEqualTo("analytics-node");
        // RudderStack's Node SDK stamps originalTimestamp with the time of the call whatever timestamp says,
        // and Tandem corrects from originalTimestamp (a known difference, docs/sdks.md)
        Instant corrected = Instant.parse(byId.get("rn-track").get("timestamp").asText());
        assertThat(Duration.between(Instant.now(), corrected).abs()).isLessThan(Duration.ofSeconds(30));
    }

    private Map<String, JsonNode> run(String sdk, String prefix) throws IOException, InterruptedException {
        if (!Files.isDirectory(SDKS.resolve("node_modules"))) {
            // never skipped: ./tandem test installs them when npm is there, and .ci/run installs npm
            throw new IllegalStateException(
                    "sdks/node_modules is missing: install nodejs and npm (apt-get install nodejs npm), "
                            + "then scripts/install-sdks (npm ci in sdks/); ./tandem test runs it.");
        }
        Process node = new ProcessBuilder("node", "node-sdk-calls.mjs", sdk, server.url(), TestServer.WRITE_KEY, prefix)
                .directory(SDKS.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(output).isZero();

        await().atMost(Duration.ofSeconds(20)).until(() -> server.events().size() >= 6);
        List<JsonNode> events = server.events();
        assertThat(events).hasSize(6);
        Map<String, JsonNode> byId =
                events.stream().collect(Collectors.toMap(e -> e.get("messageId").asText(), Function.identity()));
        assertThat(byId.keySet())
                .containsExactlyInAnyOrder(
                        prefix + "identify",
                        prefix + "track",
                        prefix + "page",
                        prefix + "screen",
                        prefix + "group",
                        prefix + "alias");
        byId.forEach((id, e) -> assertThat(e.get("type").asText()).isEqualTo(id.substring(prefix.length())));
        assertThat(byId.get(prefix + "identify").get("userId").asText()).isEqualTo(prefix + "u1");
        assertThat(byId.get(prefix + "identify").at("/traits/email").asText()).isEqualTo("cy@example.com");
        assertThat(byId.get(prefix + "track").get("event").asText()).isEqualTo("Order Completed");
        assertThat(byId.get(prefix + "track").at("/properties/total").asDouble())
                .isEqualTo(42.5);
        assertThat(byId.get(prefix + "page").get("name").asText()).isEqualTo("Home");
        assertThat(byId.get(prefix + "page").get("anonymousId").asText()).isEqualTo(prefix + "a1");
        assertThat(byId.get(prefix + "screen").get("name").asText()).isEqualTo("Cart");
        assertThat(byId.get(prefix + "group").get("groupId").asText()).isEqualTo("acme");
        assertThat(byId.get(prefix + "group").at("/traits/name").asText()).isEqualTo("Acme");
        assertThat(byId.get(prefix + "alias").get("previousId").asText()).isEqualTo(prefix + "a1");
        for (JsonNode e : events) {
            Instant receivedAt = Instant.parse(e.get("receivedAt").asText());
            assertThat(Duration.between(receivedAt, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        }
        return byId;
    }
}
