package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import org.junit.jupiter.api.Test;

/** What the browser SDKs fetch before they send: RudderStack's source configuration, and the bundles. */
class SdkRoutesTest extends ServerPerTest {
    SdkRoutesTest() {
        super(StoreKind.SQLITE);
    }

    @Test
    void rudderStackSourceConfigIsTheSourceWithNoDestinations() {
        // as the v3 SDK asks: Basic auth and the key in the query
        Http.Response answer = server.http()
                .get(
                        "/sourceConfig/?p=npm&v=3.34.1&build=modern&writeKey=" + TestServer.WRITE_KEY
                                + "&lockIntegrationsVersion=false&lockPluginsVersion=false",
                        "Authorization",
                        Http.basic(TestServer.WRITE_KEY));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode source = answer.json().get("source");
        assertThat(source.get("id").asText()).isNotEmpty();
        assertThat(source.get("name").asText()).isEqualTo("test");
        assertThat(source.get("writeKey").asText()).isEqualTo(TestServer.WRITE_KEY);
        assertThat(source.get("enabled").asBoolean()).isTrue();
        assertThat(source.get("destinations").isArray()).isTrue();
        assertThat(source.get("destinations")).isEmpty();
        assertThat(source.at("/config/statsCollection/errors/enabled").asBoolean(true))
                .isFalse();
        assertThat(source.at("/config/statsCollection/metrics/enabled").asBoolean(true))
                .isFalse();

        assertThat(server.http()
                        .get("/sourceConfig?writeKey=" + TestServer.WRITE_KEY)
                        .status())
                .isEqualTo(200);
        assertError(server.http().get("/sourceConfig/?writeKey=wk_nope"), 404, "unknown_write_key");
        assertError(server.http().get("/sourceConfig/"), 401, "missing_write_key");
    }

    @Test
    void tandemServesThePinnedSdkBundlesAsTheirCdnsWould() {
        Http.Response snippet = server.http().get("/analytics.js/v1/" + TestServer.WRITE_KEY + "/analytics.min.js");
        assertThat(snippet.status()).isEqualTo(200);
        assertThat(snippet.header("Content-Type")).startsWith("application/javascript");
        assertThat(snippet.body()).contains("analytics-next/bundles/");
        assertError(server.http().get("/analytics.js/v1/wk_nope/analytics.min.js"), 404, "unknown_write_key");

        Http.Response next = server.http().get("/sdk/analytics-next.js");
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).contains("AnalyticsNext");
        Http.Response rudder = server.http().get("/sdk/rudderstack-analytics.js");
        assertThat(rudder.status()).isEqualTo(200);
        assertThat(rudder.body()).contains("RudderAnalytics");

        // the chunks the snippet's bundle loads next, named by content hash, cached for good
        Http.Response chunks = server.http().get("/analytics-next/bundles/schemaFilter.bundle.a6a77355d52c20e3a83d.js");
        assertThat(chunks.status()).isEqualTo(200);
        assertThat(chunks.header("Cache-Control")).contains("immutable");
        assertError(
                server.http().get("/analytics-next/bundles/..%2F..%2Fapplication.properties"), 404, "unknown_bundle");
        assertError(server.http().get("/analytics-next/bundles/nope.js"), 404, "unknown_bundle");
    }

    @Test
    void hostileWriteKeysAndFileNamesAreRefusedWithTheirReason() {
        String huge = "k".repeat(4_000);
        assertError(server.http().get("/analytics.js/v1/" + huge + "/analytics.min.js"), 404, "unknown_write_key");
        assertError(server.http().get("/sourceConfig?writeKey=" + huge), 404, "unknown_write_key");
        assertError(server.http().get("/sourceConfig?writeKey=%00"), 404, "unknown_write_key");
        assertError(server.http().get("/analytics-next/bundles/" + "a".repeat(4_000) + ".js"), 404, "unknown_bundle");
        assertError(server.http().get("/analytics-next/bundles/%2E%2E"), 404, "unknown_bundle");
    }
}
