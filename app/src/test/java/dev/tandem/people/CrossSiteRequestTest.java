package dev.tandem.people;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another site's page can make a visitor's browser send: a form or {@code text/plain} post, or
 * any request with its own {@code Origin}. Signing in (login CSRF) and every signed-in change refuse
 * both; clients that are not browsers (no {@code Origin}) and bearer tokens are unaffected.
 */
class CrossSiteRequestTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String SIGN_IN = "{\"name\": \"ann\", \"password\": \"" + PASSWORD + "\"}";

    @TempDir
    Path dir;

    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void signingInTakesJsonFromTandemsOwnPagesOnly() {
        server = TestServer.start(StoreKind.SQLITE, dir);
        addAnn();
        // what a cross-site form or fetch without preflight can send
        assertError(post("/v1/session", SIGN_IN, "Content-Type", "text/plain"), 415, "unsupported_media_type");
        assertError(post("/v1/session", SIGN_IN), 415, "unsupported_media_type");
        assertError(
                post("/v1/session", "name=ann&password=x", "Content-Type", "application/x-www-form-urlencoded"),
                415,
                "unsupported_media_type");
        assertThat(post("/v1/session", SIGN_IN, "Content-Type", "text/plain")
                        .json()
                        .at("/error/message")
                        .asText())
                .contains("application/json");
        // JSON with another site's origin, an opaque one, or a browser saying it is cross-site
        assertError(json("/v1/session", SIGN_IN, "Origin", "https://evil.example"), 403, "foreign_origin");
        assertError(json("/v1/session", SIGN_IN, "Origin", "null"), 403, "foreign_origin");
        assertError(json("/v1/session", SIGN_IN, "Sec-Fetch-Site", "cross-site"), 403, "foreign_origin");
        assertError(json("/v1/session", SIGN_IN, "Origin", server.url() + ".evil.example"), 403, "foreign_origin");
        // none of those was a sign-in attempt: the audit trail has no refused sign-in
        assertThat(server.admin("/v1/audit?kind=person.sign_in_refused").json().path("entries"))
                .isEmpty();
        // Tandem's own page, and a client without Origin
        assertThat(json("/v1/session", SIGN_IN, "Origin", server.url(), "Sec-Fetch-Site", "same-origin")
                        .status())
                .isEqualTo(201);
        assertThat(json("/v1/session", SIGN_IN).status()).isEqualTo(201);
    }

    @Test
    void everySignedInChangeRefusesAForeignOriginAndABodyThatIsNotJson() {
        server = TestServer.start(StoreKind.SQLITE, dir);
        addAnn();
        Http.Response in = json("/v1/session", SIGN_IN);
        String cookie =
                in.header("Set-Cookie").substring(0, in.header("Set-Cookie").indexOf(';'));
        String csrf = in.json().path("csrfToken").asText();
        String token = "{\"name\": \"ann-script\", \"scopes\": [\"audit:read\"]}";
        String person = "{\"name\": \"bob\", \"team\": \"it\", \"role\": \"steward\"}";

        // the CSRF token leaked, and still: another site's page cannot use the session
        assertError(
                json(
                        "/v1/session/tokens",
                        token,
                        "Cookie",
                        cookie,
                        "X-CSRF-Token",
                        csrf,
                        "Origin",
                        "https://evil.example"),
                403,
                "foreign_origin");
        assertError(
                json(
                        "/v1/admin/people",
                        person,
                        "Cookie",
                        cookie,
                        "X-CSRF-Token",
                        csrf,
                        "Origin",
                        "https://evil.example"),
                403,
                "foreign_origin");
        assertError(
                send("DELETE", "/v1/session", null, "Cookie", cookie, "X-CSRF-Token", csrf, "Origin", "null"),
                403,
                "foreign_origin");
        assertError(
                post("/v1/session/tokens", token, "Cookie", cookie, "X-CSRF-Token", csrf, "Content-Type", "text/plain"),
                415,
                "unsupported_media_type");
        assertError(
                post("/v1/admin/people", person, "Cookie", cookie, "X-CSRF-Token", csrf),
                415,
                "unsupported_media_type");
        // nothing was made
        assertThat(server.admin("/v1/admin/tokens").body()).doesNotContain("ann-script");
        assertThat(server.admin("/v1/admin/people").body()).doesNotContain("bob");

        // from Tandem's own page, with JSON: made
        assertThat(json("/v1/session/tokens", token, "Cookie", cookie, "X-CSRF-Token", csrf, "Origin", server.url())
                        .status())
                .isEqualTo(201);
        assertThat(json("/v1/admin/people", person, "Cookie", cookie, "X-CSRF-Token", csrf)
                        .status())
                .isEqualTo(201);
        // a change without a body needs no type; a bearer token is not held to the browser's rules
        assertThat(send("POST", "/v1/admin/people/bob/link", null, "Cookie", cookie, "X-CSRF-Token", csrf)
                        .status())
                .isEqualTo(201);
        assertThat(send(
                                "DELETE",
                                "/v1/admin/people/bob",
                                null,
                                "Authorization",
                                "Bearer " + TestServer.ADMIN_TOKEN,
                                "Origin",
                                "https://evil.example")
                        .status())
                .isEqualTo(204);
        assertThat(send("DELETE", "/v1/session", null, "Cookie", cookie, "X-CSRF-Token", csrf)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void theOriginComparedIsTheConfiguredPublicUrl() {
        server = TestServer.start(
                StoreKind.SQLITE, dir, Clock.systemUTC(), Map.of("publicUrl", "https://CDP.example.com:443"));
        addAnn();
        assertError(json("/v1/session", SIGN_IN, "Origin", server.url()), 403, "foreign_origin");
        assertThat(json("/v1/session", SIGN_IN, "Origin", server.url())
                        .json()
                        .at("/error/message")
                        .asText())
                .contains("https://CDP.example.com")
                .contains("publicUrl");
        assertError(json("/v1/session", SIGN_IN, "Origin", "http://cdp.example.com"), 403, "foreign_origin");
        assertThat(json("/v1/session", SIGN_IN, "Origin", "https://cdp.example.com")
                        .status())
                .isEqualTo(201);
    }

    private void addAnn() {
        String link = server.adminSend(
                        "POST", "/v1/admin/people", "{\"name\": \"ann\", \"team\": \"it\", \"role\": \"admin\"}")
                .json()
                .path("link")
                .asText();
        assertThat(json("/v1/people/password", "{\"link\": \"" + link + "\", \"password\": \"" + PASSWORD + "\"}")
                        .status())
                .isEqualTo(204);
    }

    private Http.Response json(String path, String body, String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/json";
        return post(path, body, all);
    }

    private Http.Response post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    private Http.Response send(String method, String path, String body, String... headers) {
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return server.http()
                .send(HttpRequest.newBuilder(URI.create(server.url() + path)).method(method, publisher), headers);
    }
}
