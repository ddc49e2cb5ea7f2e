package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Events and profile updates reach a real HTTP receiver as signed webhooks, through the policy
 * gate: the signature verifies with the recipe in docs/destinations.md, the filter holds, an
 * advertising destination gets the SHA-256 of the normalised email and no first name, and a
 * profile without consent gets nothing, which the decision log explains.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class WebhookDeliveryTest {
    static final String SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    private final StoreKind store;

    @TempDir
    Path dir;

    WebhookDeliveryTest(StoreKind store) {
        this.store = store;
    }

    static String workspace(Receiver receiver) {
        return """
                destinations:
                  - key: crm
                    type: webhook
                    owners: [it-integrations]
                    settings: { url: "%s", secret: "%s", headers: { X-Team: crm } }
                    purposes: [analytics]
                    events: "type == 'track' && event != 'Ignored'"
                  - key: ads
                    type: webhook
                    owners: [marketing-ops]
                    settings: { url: "%s", secret: "%s", maxBatch: 1 }
                    purposes: [advertising]
                    riskTier: high
                    identifies: true
                """.formatted(receiver.url("/crm"), SECRET, receiver.url("/ads"), SECRET);
    }

    @Test
    void signedBatchesThroughTheGate() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver))) {
            for (int i = 0; i < 3; i++) {
                server.track(
                        "/v1/track",
                        "{\"userId\": \"u-1\", \"event\": \"Order Completed\", \"messageId\": \"m-" + i
                                + "\", \"properties\": {\"n\": " + i + "}}");
            }
            server.track("/v1/track", "{\"userId\": \"u-1\", \"event\": \"Ignored\", \"messageId\": \"m-ignored\"}");
            server.track("/v1/identify", """
                    {"userId": "u-ann", "messageId": "i-ann", "traits": {"email": " Ann@Example.com ", "firstName": "Ann", "plan": "pro"},
                     "context": {"consent": {"categoryPreferences": {"Advertising": true}}}}""");
            server.track("/v1/identify", """
                    {"userId": "u-bob", "messageId": "i-bob", "traits": {"email": "bob@example.com", "firstName": "Bob"}}""");
            server.awaitProcessed();

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> messages(receiver, "/crm").size() >= 3
                            && messages(receiver, "/ads").size() >= 1);
            List<JsonNode> crm = messages(receiver, "/crm");
            assertThat(crm).extracting(m -> m.path("messageId").asText()).containsExactly("m-0", "m-1", "m-2");
            JsonNode first = crm.get(0);
            assertThat(first.path("type").asText()).isEqualTo("track");
            assertThat(first.path("userId").asText()).isEqualTo("u-1");
            assertThat(first.path("timestamp").asText()).isNotEmpty();
            assertThat(first.path("context").path("tandem").path("profileId").asText())
                    .matches("\\d+");

            for (Receiver.Request r : receiver.requests()) {
                String id = r.header("webhook-id");
                String timestamp = r.header("webhook-timestamp");
                assertThat(id).startsWith("msg_");
                assertThat(Math.abs(Long.parseLong(timestamp) - System.currentTimeMillis() / 1000))
                        .isLessThan(60);
                // the documented recipe: HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" with the
                // base64-decoded key after whsec_, base64-encoded, after "v1,"
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring(6)), "HmacSHA256"));
                String expected = "v1,"
                        + Base64.getEncoder()
                                .encodeToString(mac.doFinal(
                                        (id + "." + timestamp + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
                assertThat(r.header("webhook-signature")).isEqualTo(expected);
                if (r.path().equals("/crm")) {
                    assertThat(r.header("x-team")).isEqualTo("crm");
                }
            }

            List<JsonNode> ads = messages(receiver, "/ads");
            assertThat(ads).allMatch(m -> m.path("userId").asText().equals("u-ann"));
            JsonNode ann = ads.get(ads.size() - 1);
            assertThat(ann.path("type").asText()).isEqualTo("identify");
            assertThat(ann.path("traits").path("email").asText()).isEqualTo(sha256("ann@example.com"));
            assertThat(ann.path("traits").has("firstName")).isFalse();
            assertThat(ann.path("traits").path("plan").asText()).isEqualTo("pro");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode log = server.admin("/v1/admin/policy/log").json().path("decisions");
                assertThat(log.toString()).contains("\\\"name\\\":\\\"ads\\\"").contains("consent-for-every-purpose");
            });
            JsonNode health = server.admin("/v1/destinations/ads/health").json();
            assertThat(health.path("denied").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(health.path("delivered").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(health.path("state").asText()).isEqualTo("healthy");
            assertThat(receiver.requests()).noneMatch(r -> r.body().contains("u-bob"));
        }
    }

    static List<JsonNode> messages(Receiver receiver, String path) {
        return receiver.requests().stream()
                .filter(r -> r.path().equals(path) && r.status() / 100 == 2)
                .flatMap(r -> r.messages().stream())
                .toList();
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
