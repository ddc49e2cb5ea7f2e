package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The tracking endpoints over HTTP, on both stores: what is accepted is stored as Segment would. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class TrackingApiTest extends ServerPerTest {

    TrackingApiTest(StoreKind store) {
        super(store);
    }

    @Test
    void everyCallTypeOnItsLongAndShortPathIsStoredWithItsType() {
        String[][] calls = {
            {"identify", "i", "{\"userId\":\"u1\",\"traits\":{\"email\":\"ann@example.com\"}}"},
            {"track", "t", "{\"userId\":\"u1\",\"event\":\"Order Completed\",\"properties\":{\"total\":42}}"},
            {"page", "p", "{\"anonymousId\":\"a1\",\"name\":\"Home\"}"},
            {"screen", "s", "{\"anonymousId\":\"a1\",\"name\":\"Cart\"}"},
            {"group", "g", "{\"userId\":\"u1\",\"groupId\":\"acme\"}"},
            {"alias", "a", "{\"userId\":\"u1\",\"previousId\":\"a1\"}"},
        };
        for (String[] call : calls) {
            assertThat(server.track("/v1/" + call[0], call[2]).status()).isEqualTo(200);
            assertThat(server.track("/v1/" + call[1], call[2]).status()).isEqualTo(200);
        }
        List<JsonNode> events = server.events();
        assertThat(events)
                .extracting(e -> e.get("type").asText())
                .containsExactly(
                        "identify",
                        "identify",
                        "track",
                        "track",
                        "page",
                        "page",
                        "screen",
                        "screen",
                        "group",
                        "group",
                        "alias",
                        "alias");
        for (JsonNode e : events) {
            assertThat(e.get("messageId").asText()).isNotBlank();
            assertThat(e.get("receivedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(e.get("timestamp").asText())
                    .isEqualTo(e.get("receivedAt").asText());
            assertThat(e.has("writeKey")).isFalse();
        }
        assertThat(events.get(2).at("/properties/total").asInt()).isEqualTo(42);
    }

    @Test
    void batchAndImportShareTheBatchContextAndIntegrationsWithEachEvent() {
        String body = """
                {"batch": [
                   {"type": "track", "userId": "u1", "event": "A", "context": {"ip": "10.0.0.1"}},
                   {"type": "identify", "anonymousId": "a2", "integrations": {"Mixpanel": false}}
                 ],
                 "context": {"ip": "192.0.2.1", "library": {"name": "test-lib"}},
                 "integrations": {"All": true}}""";
        for (String path : new String[] {"/v1/batch", "/v1/b", "/v1/import", "/v1/import/"}) {
            Http.Response response = server.track(path, body.replace("\"u1\"", "\"" + path + "\""));
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
        }
        List<JsonNode> events = server.events();
        assertThat(events).hasSize(8);
        assertThat(events.get(0).at("/context/ip").asText()).isEqualTo("10.0.0.1");
        assertThat(events.get(0).at("/context/library/name").asText()).isEqualTo("test-lib");
        assertThat(events.get(1).at("/context/ip").asText()).isEqualTo("192.0.2.1");
        assertThat(events.get(1).at("/integrations/Mixpanel").asBoolean(true)).isFalse();
        assertThat(events.get(0).at("/integrations/All").asBoolean()).isTrue();
        assertThat(events).extracting(e -> e.path("userId").asText()).contains("/v1/import/");
    }

    @Test
    void timestampIsCorrectedForTheClientClockUsingSentAt() {
        // The device clock is 3 hours fast; the event happened 5 minutes before it was sent.
        Instant before = Instant.now();
        Instant deviceNow = before.plus(Duration.ofHours(3));
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"A\",\"timestamp\":\""
                + deviceNow.minus(Duration.ofMinutes(5)) + "\"}],\"sentAt\":\"" + deviceNow + "\"}";
        assertThat(server.track("/v1/batch", body).status()).isEqualTo(200);
        JsonNode e = server.events().get(0);
        Instant receivedAt = Instant.parse(e.get("receivedAt").asText());
        Instant timestamp = Instant.parse(e.get("timestamp").asText());
        assertThat(Duration.between(timestamp, receivedAt))
                .isBetween(
                        Duration.ofMinutes(5).minusMillis(1),
                        Duration.ofMinutes(5).plusMillis(1));
        assertThat(e.get("originalTimestamp").asText())
                .isEqualTo(deviceNow.minus(Duration.ofMinutes(5)).toString());
        assertThat(e.get("sentAt").asText()).isEqualTo(deviceNow.toString());
    }

    @Test
    void historicTimestampWithoutSentAtIsKeptAndAFutureOneIsClamped() {
        server.track("/v1/track", "{\"userId\":\"u1\",\"event\":\"Old\",\"timestamp\":\"2020-01-02T03:04:05.678Z\"}");
        server.track("/v1/track", "{\"userId\":\"u1\",\"event\":\"Future\",\"timestamp\":\"2999-01-01T00:00:00Z\"}");
        List<JsonNode> events = server.events();
        assertThat(events.get(0).get("timestamp").asText()).isEqualTo("2020-01-02T03:04:05.678Z");
        assertThat(events.get(1).get("timestamp").asText())
                .isEqualTo(events.get(1).get("receivedAt").asText());
    }

    @Test
    void aMessageIdIsStoredOncePerSourceEvenWhenSentAgain() {
        String event = "{\"userId\":\"u1\",\"event\":\"A\",\"messageId\":\"m-1\"}";
        assertThat(server.track("/v1/track", event).json().get("duplicates").asInt())
                .isZero();
        Http.Response again = server.track("/v1/track", event);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(1);
        String batch = "{\"batch\":[" + event.replace("}", ",\"type\":\"track\"}") + ","
                + event.replace("}", ",\"type\":\"track\"}") + "]}";
        assertThat(server.track("/v1/batch", batch).json().get("duplicates").asInt())
                .isEqualTo(2);
        String twiceNew = batch.replace("m-1", "m-2");
        assertThat(server.track("/v1/batch", twiceNew).json().get("duplicates").asInt())
                .isEqualTo(1);
        server.restart();
        assertThat(server.track("/v1/track", event).json().get("duplicates").asInt())
                .isEqualTo(1);
        assertThat(server.events()).extracting(e -> e.get("messageId").asText()).containsExactly("m-1", "m-2");
        assertThat(server.http().get("/metrics").body()).contains("tandem_collect_deduplicated_total 1.0");
    }

    @Test
    void deduplicationIsPerSource() {
        String other = server.http()
                .post("/v1/admin/sources", "{\"name\":\"other\"}", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .json()
                .get("writeKey")
                .asText();
        String event = "{\"userId\":\"u1\",\"event\":\"A\",\"messageId\":\"same-id\"}";
        server.track("/v1/track", event);
        Http.Response fromOther = server.http().post("/v1/track", event, "Authorization", Http.basic(other));
        assertThat(fromOther.json().get("duplicates").asInt()).isZero();
        assertThat(server.events()).hasSize(2);
    }

    @Test
    void gzipAndTextPlainBodiesAreAccepted() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write("{\"batch\":[{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Zipped\"}]}"
                    .getBytes(StandardCharsets.UTF_8));
        }
        Http.Response response = server.http()
                .post(
                        "/v1/batch",
                        zipped.toByteArray(),
                        "Authorization",
                        Http.basic(TestServer.WRITE_KEY),
                        "Content-Type",
                        "application/json",
                        "Content-Encoding",
                        "gzip");
        assertThat(response.status()).isEqualTo(200);
        Http.Response plain = server.http()
                .post(
                        "/v1/t",
                        "{\"userId\":\"u1\",\"event\":\"Plain\",\"writeKey\":\"" + TestServer.WRITE_KEY + "\"}",
                        "Content-Type",
                        "text/plain");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(server.events()).extracting(e -> e.get("event").asText()).containsExactly("Zipped", "Plain");
    }

    @Test
    void theWriteKeyMayComeWithOrWithoutTheColonOrInTheBody() {
        String noColon = "Basic "
                + java.util.Base64.getEncoder().encodeToString(TestServer.WRITE_KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(server.http()
                        .post("/v1/track", "{\"userId\":\"u\",\"event\":\"A\"}", "Authorization", noColon)
                        .status())
                .isEqualTo(200);
        assertThat(server.http()
                        .post("/v1/batch", "{\"writeKey\":\"" + TestServer.WRITE_KEY + "\",\"batch\":[]}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void analyticsJsSettingsNameTheApiHost() {
        Http.Response settings = server.http()
                .get("/v1/projects/" + TestServer.WRITE_KEY + "/settings", "Origin", "https://shop.example.com");
        assertThat(settings.status()).isEqualTo(200);
        assertThat(settings.json().at("/integrations/Segment.io/apiKey").asText())
                .isEqualTo(TestServer.WRITE_KEY);
        assertThat(settings.json().at("/integrations/Segment.io/apiHost").asText())
                .endsWith("/v1");
        assertThat(settings.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.com");
        assertThat(settings.header("Vary")).isEqualTo("Origin");
        assertError(server.http().get("/v1/projects/nope/settings"), 404, "unknown_write_key");
        Http.Response preflight = server.http()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/v1/batch"))
                                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()),
                        "Origin",
                        "https://shop.example.com",
                        "Access-Control-Request-Method",
                        "POST");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.com");
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
        assertThat(server.admin("/v1/events").header("Access-Control-Allow-Origin"))
                .isNull();
    }
}
