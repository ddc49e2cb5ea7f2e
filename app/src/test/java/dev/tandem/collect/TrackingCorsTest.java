package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CORS as browsers see it: tracking routes answer what the SDKs send, every other route is closed to them. */
class TrackingCorsTest extends ServerPerTest {
    private static final String ORIGIN = "https://shop.example.com";

    TrackingCorsTest() {
        super(StoreKind.SQLITE);
    }

    private Http.Response preflight(String path, String method, String headers) {
        return server.http()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path))
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                        "Origin",
                        ORIGIN,
                        "Access-Control-Request-Method",
                        method,
                        "Access-Control-Request-Headers",
                        headers);
    }

    private static List<String> list(String header) {
        return Arrays.stream(header.split(","))
                .map(String::trim)
                .map(String::toLowerCase)
                .toList();
    }

    @Test
    void aPreflightForATrackingRouteAllowsWhatTheBrowserSdksSendAndNoMore() {
        // what RudderStack's v3 SDK asks for on a retry, and analytics.js 2.0 on any call
        for (String path : List.of(
                "/v1/track",
                "/v1/t",
                "/v1/batch",
                "/v1/b",
                "/v1/page",
                "/v1/identify",
                "/v1/group",
                "/v1/alias",
                "/v1/screen",
                "/v1/import",
                "/v1/decide")) {
            Http.Response answer = preflight(
                    path,
                    "POST",
                    "authorization,content-type,anonymousid,sentat,rsa-retry-attempt,"
                            + "rsa-since-last-attempt,rsa-since-first-attempt,rsa-retry-reason,x-retry-count");
            assertThat(answer.status()).as(path).isEqualTo(204);
            assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
            assertThat(answer.header("Access-Control-Allow-Methods")).isEqualTo("POST");
            assertThat(list(answer.header("Access-Control-Allow-Headers")))
                    .contains(
                            "authorization",
                            "content-type",
                            "anonymousid",
                            "sentat",
                            "rsa-retry-attempt",
                            "rsa-since-last-attempt",
                            "rsa-since-first-attempt",
                            "rsa-retry-reason",
                            "rsa-recovered",
                            "x-retry-count",
                            "content-encoding")
                    .hasSize(11);
            assertThat(answer.header("Access-Control-Allow-Credentials")).isNull();
            assertThat(answer.header("Vary")).contains("Origin");
        }
        Http.Response settings =
                preflight("/v1/projects/" + TestServer.WRITE_KEY + "/settings", "GET", "authorization");
        assertThat(settings.status()).isEqualTo(204);
        assertThat(settings.header("Access-Control-Allow-Methods")).isEqualTo("GET");
        assertThat(preflight("/sourceConfig/", "GET", "authorization").header("Access-Control-Allow-Methods"))
                .isEqualTo("GET");
    }

    @Test
    void answersToTrackingCallsNameTheOriginVaryByItAndExposeRetryAfter() {
        Http.Response response = server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}", "Origin", ORIGIN);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(response.header("Vary")).isEqualTo("Origin");
        assertThat(response.header("Access-Control-Expose-Headers")).isEqualTo("Retry-After");
        assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
        // an error answer too, so the SDK in the page can read its status
        Http.Response refused = server.http()
                .post(
                        "/v1/track",
                        "{\"userId\":\"u\",\"event\":\"E\"}",
                        "Origin",
                        ORIGIN,
                        "Authorization",
                        Http.basic("wk_nope"));
        assertError(refused, 401, "unknown_write_key");
        assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        // no Origin, no browser: no CORS headers
        assertThat(server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}")
                        .header("Access-Control-Allow-Origin"))
                .isNull();
    }

    @Test
    void adminAndReadRoutesAreClosedToBrowsers() {
        for (String path : List.of(
                "/v1/admin/sources",
                "/v1/events",
                "/v1/quarantine",
                "/v1/profiles/user_id:u/traits",
                "/v1/audiences",
                "/metrics",
                "/")) {
            Http.Response answer = preflight(path, "GET", "authorization");
            assertThat(answer.status()).as(path).isIn(401, 403);
            assertThat(answer.header("Access-Control-Allow-Origin")).as(path).isNull();
            assertThat(answer.header("Access-Control-Allow-Headers")).as(path).isNull();
            assertThat(answer.json().at("/error/code").asText()).as(path).isNotEmpty();
        }
        assertError(preflight("/metrics", "GET", "authorization"), 403, "cors_not_allowed");
        Http.Response events =
                server.http().get("/v1/events", "Origin", ORIGIN, "Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.header("Access-Control-Allow-Origin")).isNull();
    }
}
