package dev.tandem.connect;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tandem runs as its own process delivering to a slow receiver; it is killed with SIGKILL in the
 * middle of deliveries and started again. Every acknowledged event reaches the receiver, and
 * whatever arrives twice comes in a request with the same webhook-id (the batch in flight is sent
 * again as the same batch).
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class DeliveryCrashTest {
    private static final String TOKEN = "crash-test-admin-token-123";
    private static final String WRITE_KEY = "wk_delivery_crash";
    private final StoreKind store;

    @TempDir
    Path dir;

    DeliveryCrashTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void nothingAcknowledgedIsLostAndDuplicatesCarryTheSameKey() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer(r -> new Receiver.Answer(200, null, 30));
            Path workspace = dir.resolve("tandem.yaml");
            Files.writeString(workspace, """
                    sources:
                      - name: crash
                        writeKey: %s
                    destinations:
                      - key: crm
                        type: webhook
                        owners: [it-integrations]
                        settings: { url: "%s", secret: "%s", maxBatch: 20 }
                        purposes: [analytics]
                        events: "type == 'track'"
                    """.formatted(WRITE_KEY, receiver.url("/hook"), WebhookDeliveryTest.SECRET));
            String databaseUrl = store == StoreKind.POSTGRESQL ? Postgres.freshDatabaseUrl() : null;
            int port = ServerProcess.freePort();
            Process server = ServerProcess.start(dir, port, workspace, databaseUrl, TOKEN);
            Http http = new Http("http://localhost:" + port);
            Set<String> acknowledged = new HashSet<>();
            for (int batch = 0; batch < 40; batch++) {
                StringBuilder body = new StringBuilder("{\"batch\":[");
                for (int i = 0; i < 50; i++) {
                    body.append(i == 0 ? "" : ",")
                            .append("{\"type\":\"track\",\"userId\":\"u")
                            .append(i % 17)
                            .append("\",\"event\":\"Crash\",\"messageId\":\"b")
                            .append(batch)
                            .append("-e")
                            .append(i)
                            .append("\"}");
                }
                assertThat(http.post("/v1/batch", body.append("]}").toString(), "Authorization", Http.basic(WRITE_KEY))
                                .status())
                        .isEqualTo(200);
                for (int i = 0; i < 50; i++) {
                    acknowledged.add("b" + batch + "-e" + i);
                }
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.accepted().size() >= 200);
            server.destroyForcibly().waitFor();
            int before = receiver.accepted().size();
            assertThat(before).isLessThan(acknowledged.size());

            Process again = ServerProcess.start(dir, port, workspace, databaseUrl, TOKEN);
            try {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> ids(receiver).containsAll(acknowledged));
                Map<String, Set<String>> keys = new HashMap<>();
                for (Receiver.Request r : receiver.requests()) {
                    for (JsonNode m : r.messages()) {
                        keys.computeIfAbsent(m.path("messageId").asText(), k -> new HashSet<>())
                                .add(r.header("webhook-id"));
                    }
                }
                keys.forEach((id, webhookIds) ->
                        assertThat(webhookIds).as("webhook-ids of " + id).hasSize(1));
                assertThat(ids(receiver)).isEqualTo(acknowledged);
            } finally {
                again.destroy();
                again.waitFor();
            }
        }
    }

    private static Set<String> ids(Receiver receiver) {
        Set<String> out = new HashSet<>();
        receiver.accepted().forEach(m -> out.add(m.path("messageId").asText()));
        return out;
    }
}
