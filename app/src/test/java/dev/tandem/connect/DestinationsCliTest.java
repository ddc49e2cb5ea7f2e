package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Cli;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem destinations list|health|replay|types|add|remove} print readable tables from a running server. */
class DestinationsCliTest {
    @TempDir
    Path dir;

    @Test
    void listHealthReplayAndTypes() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer(r -> new Receiver.Answer(410, null, 0));
            String yaml = """
                    destinations:
                      - key: crm
                        type: webhook
                        owners: [it-integrations]
                        settings: { url: "%s", secret: "%s" }
                        purposes: [analytics]
                        events: "type == 'track'"
                    """.formatted(receiver.url("/hook"), WebhookDeliveryTest.SECRET);
            try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, yaml)) {
                server.track("/v1/track", "{\"userId\": \"u-1\", \"event\": \"Gone\", \"messageId\": \"g-1\"}");
                server.awaitProcessed();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> server.admin("/v1/destinations/crm/health")
                                        .json()
                                        .path("deadLettered")
                                        .asLong()
                                == 1);
                String[] auth = {"--server", server.url(), "--token", TestServer.ADMIN_TOKEN};
                Cli.Result list = Cli.run(concat(new String[] {"destinations", "list"}, auth));
                assertThat(list.code()).as(list.err()).isZero();
                assertThat(list.out())
                        .contains("KEY")
                        .contains("crm")
                        .contains("webhook")
                        .contains("analytics")
                        .contains("it-integrations");
                Cli.Result health = Cli.run(concat(new String[] {"destinations", "health", "crm"}, auth));
                assertThat(health.out()).contains("STATE").contains("crm").containsPattern("crm\\s+\\w+\\s+0 ");
                receiver.answer(r -> Receiver.Answer.OK);
                Cli.Result replay = Cli.run(concat(new String[] {"destinations", "replay", "crm"}, auth));
                assertThat(replay.code()).as(replay.err()).isZero();
                assertThat(replay.out()).contains("Replaying all of 'crm'");
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> !receiver.accepted().isEmpty());
                Cli.Result unknown = Cli.run(concat(new String[] {"destinations", "health", "nope"}, auth));
                assertThat(unknown.code()).isNotZero();
                assertThat(unknown.err()).contains("There is no destination 'nope'");

                java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("hook.json"), """
                        {"key": "exports", "type": "file", "owners": ["it-data"],
                         "settings": {"directory": "exports"}, "purposes": ["analytics"], "events": "type == 'track'"}""");
                Cli.Result add = Cli.run(concat(new String[] {"destinations", "add", file.toString()}, auth));
                assertThat(add.code()).as(add.err()).isZero();
                assertThat(add.out()).contains("Made 'exports' (file)");
                assertThat(Cli.run(concat(new String[] {"destinations", "list"}, auth))
                                .out())
                        .contains("exports");
                Cli.Result twice = Cli.run(concat(new String[] {"destinations", "add", file.toString()}, auth));
                assertThat(twice.code()).isNotZero();
                assertThat(twice.err()).contains("There is a destination 'exports' already");
                Cli.Result remove = Cli.run(concat(new String[] {"destinations", "remove", "exports"}, auth));
                assertThat(remove.code()).as(remove.err()).isZero();
                assertThat(remove.out()).contains("Removed 'exports'").contains("Delivery stopped");
                Cli.Result yamlOne = Cli.run(concat(new String[] {"destinations", "remove", "crm"}, auth));
                assertThat(yamlOne.code()).isNotZero();
                assertThat(yamlOne.err()).contains("declared in tandem.yaml");
            }
        }
        Cli.Result types = Cli.run("destinations", "types");
        assertThat(types.out())
                .contains("webhook: ")
                .contains("secret")
                .contains("segment: ")
                .contains("file: ")
                .contains("rotateBytes")
                .contains("kafka: ")
                .contains("bootstrapServers   text")
                .contains("securityProtocol");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
