package dev.tandem.connect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Destinations made, changed and deleted through the admin API: one made delivers to a real
 * receiver without a restart and after one, a change applies at once, a deletion stops delivery and
 * leaves the dead letters listable, those of tandem.yaml cannot be touched, secrets are never
 * echoed, and every bad input is refused with the JSON error shape.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class DestinationAdminTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    DestinationAdminTest(StoreKind store) {
        this.store = store;
    }

    private static String workspace(Receiver receiver) {
        return """
                destinations:
                  - key: crm
                    type: webhook
                    owners: [it-integrations]
                    settings: { url: "%s", secret: "%s" }
                    purposes: [analytics]
                    events: "type == 'track'"
                """.formatted(receiver.url("/crm"), WebhookDeliveryTest.SECRET);
    }

    private static String declaration(Receiver receiver, String key, String events) {
        return """
                {"key": "%s", "type": "webhook", "owners": ["marketing-ops"],
                 "settings": {"url": "%s", "secret": "%s"}, "purposes": ["analytics"],
                 "events": "%s", "mapping": {"properties.double": "properties.n * 2"}}""".formatted(key, receiver.url("/" + key), WebhookDeliveryTest.SECRET, events);
    }

    private static void track(TestServer server, String id, String event, String properties) {
        server.track(
                "/v1/track",
                "{\"userId\": \"u-1\", \"event\": \"" + event + "\", \"messageId\": \"" + id + "\", \"properties\": "
                        + properties + "}");
    }

    private static List<String> ids(Receiver receiver, String path) {
        return WebhookDeliveryTest.messages(receiver, path).stream()
                .map(m -> m.path("messageId").asText())
                .toList();
    }

    @Test
    void madeChangedKeptAcrossARestartAndDeleted() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver))) {
            track(server, "before", "A", "{\"n\": 1}");
            server.awaitProcessed();

            Http.Response made =
                    server.adminSend("POST", "/v1/destinations", declaration(receiver, "hook", "type == 'track'"));
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            assertThat(made.body()).doesNotContain(WebhookDeliveryTest.SECRET.substring(6));
            assertThat(made.json().path("declaredIn").asText()).isEqualTo("api");
            assertThat(made.json().path("mapping").path("properties.double").asText())
                    .isEqualTo("properties.n * 2");

            track(server, "m-1", "A", "{\"n\": 21}");
            track(server, "m-2", "A", "{}");
            server.awaitProcessed();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ids(receiver, "/hook").contains("m-1"));
            assertThat(ids(receiver, "/hook"))
                    .as("a new destination gets what comes after it, not history")
                    .containsExactly("m-1");
            assertThat(WebhookDeliveryTest.messages(receiver, "/hook")
                            .get(0)
                            .path("properties")
                            .path("double")
                            .asLong())
                    .isEqualTo(42);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.admin("/v1/destinations/hook/dead-letters")
                                    .json()
                                    .path("deadLetters")
                                    .size()
                            == 1);

            JsonNode listed = server.admin("/v1/destinations").json().path("destinations");
            assertThat(listed.findValuesAsText("key")).containsExactly("crm", "hook");
            assertThat(listed.findValuesAsText("declaredIn")).containsExactly("tandem.yaml", "api");
            assertThat(listed.toString()).doesNotContain(WebhookDeliveryTest.SECRET.substring(6));

            Http.Response changed = server.adminSend(
                    "PUT",
                    "/v1/destinations/hook",
                    declaration(receiver, "hook", "event == 'B'").replace("\"key\": \"hook\", ", ""));
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(changed.json().path("events").asText()).isEqualTo("event == 'B'");
            track(server, "m-3", "A", "{\"n\": 1}");
            track(server, "m-4", "B", "{\"n\": 2}");
            server.awaitProcessed();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ids(receiver, "/hook").contains("m-4"));
            assertThat(ids(receiver, "/hook")).doesNotContain("m-3");

            server.restart();
            assertThat(server.admin("/v1/destinations")
                            .json()
                            .path("destinations")
                            .findValuesAsText("key"))
                    .containsExactly("crm", "hook");
            track(server, "m-5", "B", "{\"n\": 3}");
            server.awaitProcessed();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ids(receiver, "/hook").contains("m-5"));
            assertThat(server.admin("/v1/destinations/hook/health")
                            .json()
                            .path("delivered")
                            .asLong())
                    .isGreaterThanOrEqualTo(1);

            Http.Response deleted = server.adminSend("DELETE", "/v1/destinations/hook", null);
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(deleted.json().path("deadLetters").asLong()).isEqualTo(1);
            assertThat(deleted.json().path("note").asText()).contains("/v1/destinations/hook/dead-letters");
            track(server, "m-6", "B", "{\"n\": 4}");
            server.awaitProcessed();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ids(receiver, "/crm").contains("m-6"));
            assertThat(ids(receiver, "/hook")).doesNotContain("m-6");
            assertError(server.admin("/v1/destinations/hook/health"), 404, "unknown_destination");
            assertThat(server.admin("/v1/destinations/hook/dead-letters")
                            .json()
                            .path("deadLetters")
                            .size())
                    .as("a deleted destination's dead letters stay listable")
                    .isEqualTo(1);
            assertError(server.adminSend("DELETE", "/v1/destinations/hook", null), 404, "unknown_destination");

            server.restart();
            assertThat(server.admin("/v1/destinations")
                            .json()
                            .path("destinations")
                            .findValuesAsText("key"))
                    .containsExactly("crm");
            Http.Response again =
                    server.adminSend("POST", "/v1/destinations", declaration(receiver, "hook", "type == 'track'"));
            assertThat(again.status()).as("a deleted key may be used again").isEqualTo(201);
        }
    }

    @Test
    void badInputIsRefusedWithTheJsonErrorShape() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver))) {
            String good = declaration(receiver, "hook", "type == 'track'");
            assertInvalid(server, good.replace("\"webhook\"", "\"carrier-pigeon\""), "type", "carrier-pigeon");
            assertInvalid(server, good.replace("\"url\": \"" + receiver.url("/hook") + "\", ", ""), "settings", "url");
            assertInvalid(server, good.replace("type == 'track'", "type =="), "events", "error at line 1");
            assertInvalid(
                    server, good.replace("properties.n * 2", "nothing.here"), "mapping.properties.double", "'hook'");
            assertInvalid(server, good.replace("properties.double", "messageId"), "mapping.messageId", "cannot map");
            assertInvalid(server, good.replace("\"key\": \"hook\"", "\"key\": \"Not A Key\""), "key", "lower-case");
            assertInvalid(server, good.replace("\"owners\": [\"marketing-ops\"],", ""), null, "owners");
            assertInvalid(
                    server,
                    good.replace("\"purposes\": [\"analytics\"]", "\"purposes\": [\"astrology\"]"),
                    "purposes.0",
                    "astrology");
            assertInvalid(server, good.replace("\"events\"", "\"colour\""), "colour", "Unknown field");
            assertError(server.adminSend("POST", "/v1/destinations", "{not json"), 400, "invalid_json");
            assertError(server.adminSend("POST", "/v1/destinations", "[1]"), 400, "invalid_body");
            String huge = good.replace("\"events\"", "\"padding\": \"" + "x".repeat(70_000) + "\", \"events\"");
            assertError(server.adminSend("POST", "/v1/destinations", huge), 400, "body_too_large");

            assertThat(server.adminSend("POST", "/v1/destinations", good).status())
                    .isEqualTo(201);
            assertError(server.adminSend("POST", "/v1/destinations", good), 409, "destination_exists");
            Http.Response mismatch =
                    server.adminSend("PUT", "/v1/destinations/hook", good.replace("\"hook\"", "\"other\""));
            assertError(mismatch, 400, "key_mismatch");
            assertError(
                    server.adminSend("PUT", "/v1/destinations/nope", good.replace("\"key\": \"hook\", ", "")),
                    404,
                    "unknown_destination");

            Http.Response yaml = server.adminSend("POST", "/v1/destinations", good.replace("\"hook\"", "\"crm\""));
            assertError(yaml, 409, "declared_in_workspace");
            assertThat(yaml.json().at("/error/message").asText()).contains("edit it there");
            assertError(
                    server.adminSend("PUT", "/v1/destinations/crm", good.replace("\"key\": \"hook\", ", "")),
                    409,
                    "declared_in_workspace");
            assertError(server.adminSend("DELETE", "/v1/destinations/crm", null), 409, "declared_in_workspace");

            String token = server.adminSend(
                            "POST",
                            "/v1/admin/tokens",
                            "{\"name\": \"reader\", \"scopes\": [\"profiles:read\"], \"purposes\": [\"analytics\"]}")
                    .json()
                    .path("token")
                    .asText();
            for (String method : List.of("POST", "PUT", "DELETE")) {
                String path = method.equals("POST") ? "/v1/destinations" : "/v1/destinations/hook";
                HttpRequest.Builder none = HttpRequest.newBuilder(URI.create(server.url() + path))
                        .method(method, HttpRequest.BodyPublishers.ofString(good));
                assertError(server.http().send(none, "Content-Type", "application/json"), 401, "missing_token");
                HttpRequest.Builder scoped = HttpRequest.newBuilder(URI.create(server.url() + path))
                        .method(method, HttpRequest.BodyPublishers.ofString(good));
                // an API token is not the admin token, whatever its scopes: refused as on every admin route
                assertError(server.http().send(scoped, "Authorization", "Bearer " + token), 401, "invalid_token");
            }
            assertThat(server.admin("/v1/destinations")
                            .json()
                            .path("destinations")
                            .findValuesAsText("key"))
                    .containsExactly("crm", "hook");
        }
    }

    private static void assertInvalid(TestServer server, String body, String field, String says) {
        Http.Response r = server.adminSend("POST", "/v1/destinations", body);
        assertError(r, 400, "invalid_destination");
        assertThat(r.json().at("/error/message").asText()).contains(says);
        if (field != null) {
            assertThat(r.json().at("/error/field").asText()).isEqualTo(field);
        }
    }
}
