package dev.tandem.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The request shapes of SDKs this suite cannot run (Segment's Kotlin and Swift SDKs, RudderStack's
 * Android SDK, Segment's Ruby SDK) and of Segment's HTTP API page, read from their documented
 * payloads (src/test/resources/sdk-payloads), and the leniency rules of docs/sdks.md.
 */
class SdkPayloadTest extends ServerPerTest {
    SdkPayloadTest() {
        super(StoreKind.SQLITE);
    }

    private static byte[] payload(String name) {
        try (InputStream in = SdkPayloadTest.class.getResourceAsStream("/sdk-payloads/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("WRITE_KEY", TestServer.WRITE_KEY)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Map<String, JsonNode> stored() {
        return server.events().stream()
                .collect(Collectors.toMap(e -> e.get("messageId").asText(), Function.identity()));
    }

    private static void assertAllAccepted(Http.Response response, int count) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).as(response.body()).isEqualTo(count);
        assertThat(response.json().get("rejected")).isEmpty();
    }

    @Test
    void segmentHttpApiBatchExampleIsAcceptedWholeOneDigitMonthIncluded() {
        assertAllAccepted(
                server.track("/v1/batch", new String(payload("segment-http-api-batch.json"), StandardCharsets.UTF_8)),
                2);
        JsonNode track = server.events().stream()
                .filter(e -> e.get("type").asText().equals("track"))
                .findFirst()
                .orElseThrow();
        assertThat(track.get("originalTimestamp").asText()).isEqualTo("2015-2-02T00:30:12.984Z");
        assertThat(track.get("timestamp").asText()).isEqualTo("2015-02-02T00:30:12.984Z");
        assertThat(track.at("/context/device/name").asText()).isEqualTo("Apple iPhone 6");
    }

    @Test
    void segmentKotlinBatchToTheShortPathWithTheKeyInTheBody() {
        assertAllAccepted(
                server.http().post("/v1/b", payload("segment-kotlin-batch.json"), "Content-Type", "text/plain"), 2);
        Map<String, JsonNode> byId = stored();
        assertThat(byId.get("kt-screen-1").get("type").asText()).isEqualTo("screen");
        assertThat(byId.get("kt-screen-1").at("/context/library/name").asText()).isEqualTo("analytics-kotlin");
        assertThat(byId.get("kt-screen-1").at("/context/device/model").asText()).isEqualTo("Pixel 8");
        assertThat(byId.get("kt-track-1").get("sentAt").asText()).isEqualTo("2026-11-30T09:15:31.004Z");
        assertThat(byId.get("kt-track-1").has("writeKey")).isFalse();
    }

    @Test
    void segmentSwiftBatchGzipped() {
        assertAllAccepted(
                server.http()
                        .post(
                                "/v1/b",
                                gzip(payload("segment-swift-batch.json")),
                                "Content-Type",
                                "application/json",
                                "Content-Encoding",
                                "gzip",
                                "Authorization",
                                Http.basic(TestServer.WRITE_KEY)),
                2);
        Map<String, JsonNode> byId = stored();
        assertThat(byId.get("sw-identify-1").at("/traits/email").asText()).isEqualTo("dee@example.com");
        assertThat(byId.get("sw-group-1").get("groupId").asText()).isEqualTo("acme");
        assertThat(byId.get("sw-group-1").at("/context/library/name").asText()).isEqualTo("analytics-swift");
    }

    @Test
    void rudderStackAndroidBatchGzippedWithCapitalisedTypes() {
        assertAllAccepted(
                server.http()
                        .post(
                                "/v1/batch",
                                gzip(payload("rudderstack-android-batch.json")),
                                "Content-Type",
                                "application/json; charset=utf-8",
                                "Content-Encoding",
                                "gzip",
                                "Authorization",
                                Http.basic(TestServer.WRITE_KEY),
                                "AnonymousId",
                                "YjFjMmQzZTRmNWE2YjdjOA=="),
                2);
        Map<String, JsonNode> byId = stored();
        JsonNode track = byId.get("1732960800000-4f7d3c1e-8a2b-4c6d-9e0f-1a2b3c4d5e6f");
        assertThat(track.get("type").asText()).isEqualTo("track");
        assertThat(track.get("channel").asText()).isEqualTo("mobile");
        assertThat(track.at("/context/traits/anonymousId").asText()).isEqualTo("b1c2d3e4f5a6b7c8");
        assertThat(track.at("/properties/price").asDouble()).isEqualTo(19.99);
        assertThat(byId.get("1732960801000-5a8e4d2f-9b3c-4d7e-8f10-2b3c4d5e6f70")
                        .get("type")
                        .asText())
                .isEqualTo("screen");
    }

    @Test
    void everyIdentifierSentAsANumberIsStoredAsText() {
        assertAllAccepted(
                server.track("/v1/batch", new String(payload("segment-ruby-numeric-ids.json"), StandardCharsets.UTF_8)),
                4);
        Map<String, JsonNode> byId = stored();
        assertThat(byId.get("rb-identify").get("userId").isTextual()).isTrue();
        assertThat(byId.get("rb-identify").get("userId").asText()).isEqualTo("1001");
        assertThat(byId.get("rb-group").get("groupId").isTextual()).isTrue();
        assertThat(byId.get("rb-group").get("groupId").asText()).isEqualTo("42");
        assertThat(byId.get("rb-alias").get("previousId").asText()).isEqualTo("7");
        assertThat(byId.get("rb-alias").get("previousId").isTextual()).isTrue();
        assertThat(byId.get("rb-track").get("anonymousId").asText()).isEqualTo("55");
    }

    @Test
    void aRudderStackIdentifysContextTraitsReachTheProfile() {
        assertAllAccepted(
                server.track(
                        "/v1/batch",
                        "{\"batch\":[{\"type\":\"identify\",\"userId\":\"rs-7\",\"anonymousId\":\"a-7\","
                                + "\"messageId\":\"rs-identify-7\",\"channel\":\"web\",\"context\":{\"traits\":{\"email\":\"eve@example.com\","
                                + "\"plan\":\"gold\"},\"library\":{\"name\":\"RudderLabs JavaScript SDK\",\"version\":\"3.34.1\"}}}]}"),
                1);
        assertThat(stored().get("rs-identify-7").at("/traits/plan").asText()).isEqualTo("gold");
        server.awaitProcessed();
        assertThat(server.profile("user_id:rs-7", "traits")
                        .json()
                        .path("traits")
                        .path("plan")
                        .asText())
                .isEqualTo("gold");
    }

    @Test
    void leniencyStopsWhereTheSdksStop() {
        Http.Response response = server.track(
                "/v1/batch",
                "{\"batch\":["
                        + "{\"type\":\"TRACK\",\"userId\":\"u\",\"event\":\"A\"},"
                        + "{\"type\":\"Launch\",\"userId\":\"u\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"B\",\"timestamp\":\"2015-2-2T0:30:12Z\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"C\",\"timestamp\":\"2015-2-30T00:30:12Z\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"D\",\"timestamp\":\"15-2-02T00:30:12Z\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2015-002-02T00:30:12Z\"}"
                        + "]}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(response.json().get("rejected"))
                .extracting(r -> r.get("index").asInt() + ":" + r.get("code").asText())
                .containsExactly("1:invalid_type", "3:invalid_timestamp", "4:invalid_timestamp", "5:invalid_timestamp");
    }
}
