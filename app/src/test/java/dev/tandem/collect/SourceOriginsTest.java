package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** A source may accept browser calls from listed origins only; by default it accepts any. */
class SourceOriginsTest extends ServerPerTest {
    private static final String EVENT = "{\"userId\":\"u\",\"event\":\"E\"}";

    SourceOriginsTest() {
        super(StoreKind.POSTGRESQL);
    }

    private Http.Response putOrigins(String json, String... headers) {
        return server.http()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/v1/admin/sources/test/origins"))
                                .PUT(HttpRequest.BodyPublishers.ofString(json)),
                        headers);
    }

    @Test
    void withAListOnlyItsOriginsAreAcceptedAndCallsWithoutAnOriginStillAre() {
        assertThat(server.track("/v1/track", EVENT, "Origin", "https://anything.example")
                        .status())
                .isEqualTo(200);
        assertThat(server.admin("/v1/admin/sources/test/origins")
                        .json()
                        .get("anyOrigin")
                        .asBoolean())
                .isTrue();

        Http.Response set = putOrigins(
                "{\"origins\":[\"https://Shop.example.com:443\",\"http://localhost:3000\"]}",
                "Authorization",
                "Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("origins"))
                .extracting(n -> n.asText())
                .containsExactly("http://localhost:3000", "https://shop.example.com");

        assertThat(server.track("/v1/track", EVENT, "Origin", "https://shop.example.com")
                        .status())
                .isEqualTo(200);
        assertThat(server.track(
                                "/v1/batch",
                                "{\"batch\":[" + EVENT.replace("{", "{\"type\":\"track\",") + "]}",
                                "Origin",
                                "http://localhost:3000")
                        .status())
                .isEqualTo(200);
        Http.Response refused = server.track("/v1/track", EVENT, "Origin", "https://evil.example");
        assertError(refused, 403, "origin_not_allowed");
        assertThat(refused.header("Access-Control-Allow-Origin"))
                .isEqualTo("https://evil.example"); // so the page can read why
        assertError(
                server.http()
                        .post(
                                "/v1/batch",
                                "{\"writeKey\":\"" + TestServer.WRITE_KEY + "\",\"batch\":[]}",
                                "Origin",
                                "https://evil.example"),
                403,
                "origin_not_allowed");
        assertError(
                server.http()
                        .get("/v1/projects/" + TestServer.WRITE_KEY + "/settings", "Origin", "https://evil.example"),
                403,
                "origin_not_allowed");
        assertError(
                server.http().get("/sourceConfig/?writeKey=" + TestServer.WRITE_KEY, "Origin", "https://evil.example"),
                403,
                "origin_not_allowed");
        assertThat(server.track("/v1/track", EVENT).status())
                .as("a server, no Origin")
                .isEqualTo(200);
        assertThat(server.events()).hasSize(4);

        server.restart();
        assertError(server.track("/v1/track", EVENT, "Origin", "https://evil.example"), 403, "origin_not_allowed");
        assertThat(putOrigins("{\"origins\":[]}", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                        .json()
                        .get("anyOrigin")
                        .asBoolean())
                .isTrue();
        assertThat(server.track("/v1/track", EVENT, "Origin", "https://evil.example")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void listsAreCheckedAndGuarded() {
        String admin = "Bearer " + TestServer.ADMIN_TOKEN;
        assertError(
                putOrigins("{\"origins\":[\"https://shop.example.com/cart\"]}", "Authorization", admin),
                400,
                "invalid_origin");
        assertError(
                putOrigins("{\"origins\":[\"ftp://shop.example.com\"]}", "Authorization", admin),
                400,
                "invalid_origin");
        assertError(putOrigins("{\"origins\":[\"shop.example.com\"]}", "Authorization", admin), 400, "invalid_origin");
        assertError(putOrigins("{\"origins\":[42]}", "Authorization", admin), 400, "invalid_origin");
        assertError(
                putOrigins("{\"origins\":\"https://shop.example.com\"}", "Authorization", admin),
                400,
                "invalid_origins");
        assertError(putOrigins("[]", "Authorization", admin), 400, "invalid_body");
        assertError(putOrigins("{\"origins\":[]}"), 401, "missing_token");
        assertError(
                putOrigins("{\"origins\":[]}", "Authorization", "Bearer " + TestServer.WRITE_KEY),
                401,
                "invalid_token");
        assertError(server.admin("/v1/admin/sources/nope/origins"), 404, "unknown_source");
        assertThat(server.admin("/v1/admin/sources/test/origins").json().get("origins"))
                .isEmpty();
    }
}
