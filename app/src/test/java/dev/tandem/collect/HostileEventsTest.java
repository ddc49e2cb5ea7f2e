package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Events that used to stop the pipeline or lose their batch: times out of range, non-finite
 * numbers, lone surrogates, deep nesting, control characters in a messageId. Each costs its own
 * event (refused into the quarantine with its reason); the rest of the batch is stored and applied.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class HostileEventsTest {
    private static final String PROFILES = """
            profiles:
              computedTraits:
                - name: lifetime_revenue
                  aggregate: sum
                  property: properties.revenue
            """;

    private final StoreKind store;

    @TempDir
    Path dir;

    private TestServer server;

    HostileEventsTest(StoreKind store) {
        this.store = store;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTimeOutOfRangeIsRefusedAndThePipelineGoesOn() {
        server = TestServer.start(store, dir);
        Http.Response single = server.track(
                "/v1/track", "{\"userId\":\"u1\",\"event\":\"X\",\"timestamp\":\"-999999999-01-01T00:00:00Z\"}");
        assertError(single, 400, "invalid_timestamp");
        assertThat(single.json().at("/error/message").asText())
                .contains("1900-01-01T00:00:00.000Z")
                .contains("9999-12-31T23:59:59.999Z");

        Http.Response batch = server.track("/v1/batch", """
                {"batch": [
                  {"type": "track", "userId": "ok1", "event": "Good"},
                  {"type": "track", "userId": "bad1", "event": "Bad", "sentAt": "+999999999-12-31T23:59:59Z"},
                  {"type": "track", "userId": "bad2", "event": "Bad", "originalTimestamp": "1899-12-31T23:59:59Z"},
                  {"type": "track", "userId": "edge1", "event": "Edge", "timestamp": "1900-01-01T00:00:00Z"},
                  {"type": "track", "userId": "edge2", "event": "Edge", "timestamp": "9999-12-31T23:59:59.999Z"}
                ]}""");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(batch.json().get("rejected"))
                .extracting(r -> r.get("index").asInt() + ":" + r.get("field").asText())
                .containsExactly("1:sentAt", "2:originalTimestamp");

        // A batch sentAt out of range costs the events that rely on it; one with its own sentAt is stored.
        Http.Response badBatchClock = server.track("/v1/batch", """
                {"sentAt": "-999999999-01-01T00:00:00Z", "batch": [
                  {"type": "track", "userId": "relies", "event": "A"},
                  {"type": "track", "userId": "own", "event": "A", "sentAt": "2026-01-01T00:00:00Z", "timestamp": "2026-01-01T00:00:00Z"}
                ]}""");
        assertThat(badBatchClock.status()).isEqualTo(200);
        assertThat(badBatchClock.json().get("rejected"))
                .extracting(r -> r.get("index").asInt())
                .containsExactly(0);
        assertThat(badBatchClock.json().at("/rejected/0/message").asText()).startsWith("The batch's 'sentAt'");

        server.track("/v1/track", "{\"userId\":\"later\",\"event\":\"After\"}");
        server.awaitProcessed();
        for (String user : List.of("ok1", "edge1", "edge2", "own", "later")) {
            assertThat(server.profile("user_id:" + user, "traits").status())
                    .as(user)
                    .isEqualTo(200);
        }
        assertThat(server.profile("user_id:bad1", "traits").status()).isEqualTo(404);
        JsonNode processor = server.admin("/v1/admin/processor").json();
        assertThat(processor.get("state").asText()).isEqualTo("running");
        assertThat(processor.get("setAside").asLong()).isZero();
        assertThat(server.admin("/v1/quarantine").json().get("events")).hasSize(4);
    }

    @Test
    void nonFiniteNumbersAreRefusedAndAnOverflowingSumStaysANumber() {
        server = TestServer.withWorkspace(store, dir, PROFILES);
        Http.Response batch = server.track("/v1/batch", """
                {"batch": [
                  {"type": "track", "userId": "rich", "event": "Order Completed", "properties": {"revenue": 1e308}},
                  {"type": "track", "userId": "rich", "event": "Order Completed", "properties": {"revenue": 1e308}},
                  {"type": "track", "userId": "rich", "event": "Order Completed", "properties": {"revenue": 1e309}}
                ]}""");
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(batch.json().at("/rejected/0/code").asText()).isEqualTo("invalid_number");
        assertThat(batch.json().at("/rejected/0/field").asText()).isEqualTo("properties.revenue");
        server.track(
                "/v1/track", "{\"userId\":\"rich\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":-1e308}}");
        server.awaitProcessed();
        JsonNode revenue = server.profile("user_id:rich", "traits").json().at("/traits/lifetime_revenue");
        assertThat(revenue.isNumber()).as("lifetime_revenue is " + revenue).isTrue();
        assertThat(revenue.asDouble()).isFinite().isLessThan(Double.MAX_VALUE);
    }

    @Test
    void loneSurrogatesDeepNestingAndControlCharactersCostOnlyTheirEvent() {
        server = TestServer.start(store, dir);
        String deep = "{\"a\":".repeat(70) + "1" + "}".repeat(70);
        Http.Response batch = server.track("/v1/batch", """
                {"batch": [
                  {"type": "track", "userId": "s1", "event": "Text", "properties": {"note": "\\ud800 alone"}},
                  {"type": "track", "userId": "d1", "event": "Deep", "properties": %s},
                  {"type": "track", "userId": "m1", "event": "Id", "messageId": "abc\\u0000def"},
                  {"type": "track", "userId": "n\\u0000ul", "event": "Nul"},
                  {"type": "identify", "userId": "k1", "traits": {"email\\u0000": "x@example.com"}},
                  {"type": "track", "userId": "big", "event": "Big", "properties": {"revenue": %s}},
                  {"type": "track", "userId": "fine", "event": "Emoji", "properties": {"note": "\\ud83d\\ude00 kept"}}
                ]}""".formatted(deep, "9".repeat(400)));
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.json().get("rejected"))
                .extracting(r -> r.get("code").asText())
                .containsExactly(
                        "invalid_text", "too_deep", "invalid_text", "invalid_text", "invalid_text", "invalid_number");
        List<JsonNode> events = server.events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/properties/note").asText()).isEqualTo("\uD83D\uDE00 kept");
        // The quarantine keeps the lone surrogate exactly, as an escape, instead of a '?'.
        String stored = server.tandem()
                .database()
                .inbox()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT payload FROM quarantine WHERE payload LIKE '%alone%'")
                        .mapTo(String.class)
                        .one());
        assertThat(stored).contains("\\ud800 alone");
    }

    @Test
    void aTruncatedGzipBodyIsA400() throws Exception {
        server = TestServer.start(store, dir);
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            gzip.write("{\"userId\":\"u\",\"event\":\"e\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] whole = zipped.toByteArray();
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 6);
        assertError(
                server.http()
                        .post(
                                "/v1/t",
                                truncated,
                                "Authorization",
                                Http.basic(TestServer.WRITE_KEY),
                                "Content-Encoding",
                                "gzip"),
                400,
                "invalid_gzip");
        assertThat(server.http()
                        .post(
                                "/v1/t",
                                whole,
                                "Authorization",
                                Http.basic(TestServer.WRITE_KEY),
                                "Content-Encoding",
                                "gzip")
                        .status())
                .isEqualTo(200);
    }
}
