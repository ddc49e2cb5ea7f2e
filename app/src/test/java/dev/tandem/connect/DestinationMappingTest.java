package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A destination's CEL mapping shapes what is sent, before the policy gate: mapped fields arrive,
 * a null leaves its field out, an item the mapping fails on becomes a dead letter naming the field
 * while the others go, and a mapped copy of an email is still hashed by the gate.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class DestinationMappingTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    DestinationMappingTest(StoreKind store) {
        this.store = store;
    }

    static String workspace(Receiver receiver) {
        return """
                destinations:
                  - key: crm
                    type: webhook
                    owners: [it-integrations]
                    settings: { url: "%s", secret: "%s" }
                    purposes: [analytics]
                    events: "type == 'track'"
                    mapping:
                      properties.double: "properties.n * 2"
                      context.plan: "has(traits.plan) ? traits.plan : null"
                      event: "'Tandem ' + event"
                  - key: ads
                    type: webhook
                    owners: [marketing-ops]
                    settings: { url: "%s", secret: "%s", maxBatch: 1 }
                    purposes: [advertising]
                    riskTier: high
                    identifies: true
                    mapping:
                      traits.contact: "traits.email"
                      traits.tier: "event_count > 0 ? 'gold' : 'std'"
                """.formatted(
                receiver.url("/crm"), WebhookDeliveryTest.SECRET, receiver.url("/ads"), WebhookDeliveryTest.SECRET);
    }

    @Test
    void mappedFieldsArriveFailuresCostOneItemAndTheGateHasTheLastWord() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver))) {
            server.track("/v1/track", """
                    {"userId": "u-1", "event": "Order Completed", "messageId": "m-1", "properties": {"n": 21}}""");
            server.track("/v1/track", """
                    {"userId": "u-1", "event": "Order Completed", "messageId": "m-2", "properties": {}}""");
            server.track("/v1/track", """
                    {"userId": "u-1", "event": "Signed Up", "messageId": "m-3", "properties": {"n": 1}}""");
            server.track("/v1/identify", """
                    {"userId": "u-ann", "messageId": "i-ann", "traits": {"email": "ann@example.com", "plan": "pro"},
                     "context": {"consent": {"categoryPreferences": {"Advertising": true}}}}""");
            server.awaitProcessed();

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> WebhookDeliveryTest.messages(receiver, "/crm").size() >= 2
                            && !WebhookDeliveryTest.messages(receiver, "/ads").isEmpty());
            List<JsonNode> crm = WebhookDeliveryTest.messages(receiver, "/crm");
            assertThat(crm).extracting(m -> m.path("messageId").asText()).containsExactly("m-1", "m-3");
            JsonNode first = crm.get(0);
            assertThat(first.path("properties").path("double").asLong()).isEqualTo(42);
            assertThat(first.path("properties").path("n").asLong()).isEqualTo(21);
            assertThat(first.path("event").asText()).isEqualTo("Tandem Order Completed");
            assertThat(first.path("context").has("plan"))
                    .as("a null leaves the field out")
                    .isFalse();
            assertThat(first.path("context").path("tandem").path("profileId").asText())
                    .matches("\\d+");

            // the worker commits the dead letter with the batch's outcome, possibly after the receiver saw m-3
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.admin("/v1/destinations/crm/dead-letters")
                                    .json()
                                    .path("deadLetters")
                                    .size()
                            >= 1);
            JsonNode letters = server.admin("/v1/destinations/crm/dead-letters").json();
            assertThat(letters.path("deadLetters")).hasSize(1);
            JsonNode letter = letters.path("deadLetters").get(0);
            assertThat(letter.path("reason").asText())
                    .contains("the mapping of 'properties.double' failed")
                    .contains("replay the dead letter");
            assertThat(letter.path("had").toString()).contains("m-2");
            assertThat(letter.path("sent").isNull()).as("it was never sent").isTrue();

            JsonNode ann = WebhookDeliveryTest.messages(receiver, "/ads").getLast();
            assertThat(ann.path("type").asText()).isEqualTo("identify");
            assertThat(ann.path("traits").path("tier").asText()).isEqualTo("gold");
            assertThat(ann.path("traits").path("email").asText())
                    .isEqualTo(WebhookDeliveryTest.sha256("ann@example.com"));
            // the mapped copy is classified by its value (an email), so the gate's obligation for personal data
            // applies to it: dropped or hashed, never sent as it is
            assertThat(List.of("", WebhookDeliveryTest.sha256("ann@example.com")))
                    .contains(ann.path("traits").path("contact").asText());
            assertThat(receiver.requests()).noneMatch(r -> r.body().contains("ann@example.com"));

            JsonNode listed = server.admin("/v1/destinations").json().path("destinations");
            assertThat(listed.get(0).path("mapping").path("properties.double").asText())
                    .isEqualTo("properties.n * 2");
        }
    }
}
