package dev.tandem.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile bodies, cookies and query strings at the routes of people, sessions, the audit trail and
 * the feed: whatever arrives, the answer is a client error or a success with the JSON error shape,
 * never a server error; and afterwards the audit trail still verifies.
 */
class HostileGovernanceInputTest {
    private static final List<String[]> BODY_ROUTES = List.of(
            new String[] {"POST", "/v1/session"},
            new String[] {"POST", "/v1/people/password"},
            new String[] {"POST", "/v1/admin/people"},
            new String[] {"PUT", "/v1/admin/people/ann"},
            new String[] {"POST", "/v1/admin/subscriptions"},
            new String[] {"POST", "/v1/session/tokens"});
    private static final List<String> QUERY_ROUTES =
            List.of("/v1/audit?", "/v1/audit/verify?", "/v1/feed?", "/v1/feed.atom?");

    private static TestServer server;

    @BeforeContainer
    static void start() throws IOException {
        server = TestServer.start(StoreKind.SQLITE, Files.createTempDirectory("tandem-hostile-people"));
        server.adminSend("POST", "/v1/admin/people", "{\"name\": \"ann\", \"team\": \"it\", \"role\": \"admin\"}");
    }

    @AfterContainer
    static void stop() {
        assertThat(server.admin("/v1/audit/verify").json().path("valid").asBoolean())
                .isTrue();
        server.close();
    }

    @Property(tries = 300)
    void aHostileBodyIsAClientErrorNeverAServerError(
            @ForAll("bodies") String body, @ForAll("routes") String[] route, @ForAll boolean asAdmin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + route[1]))
                .method(route[0], HttpRequest.BodyPublishers.ofString(body));
        Http.Response r = asAdmin
                ? server.http().send(request, "Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                : server.http().send(request, "Cookie", "tandem_session=" + body.replaceAll("[^A-Za-z0-9_-]", ""));
        assertThat(r.status()).as(route[0] + " " + route[1] + " " + body).isLessThan(500);
        if (r.status() >= 400) {
            assertThat(r.json().at("/error/code").asText()).isNotBlank();
        }
    }

    @Property(tries = 200)
    void aHostileQueryIsAClientErrorNeverAServerError(
            @ForAll("queries") String query, @ForAll("readRoutes") String route) {
        Http.Response r = server.http()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + route + query))
                                .GET(),
                        "Authorization",
                        "Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(r.status()).as(route + query).isLessThan(500);
    }

    @Provide
    Arbitrary<String[]> routes() {
        return Arbitraries.of(BODY_ROUTES);
    }

    @Provide
    Arbitrary<String> readRoutes() {
        return Arbitraries.of(QUERY_ROUTES);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings()
                        .ofMaxLength(40)
                        .map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.of("null", "true", "[]", "{}", "[\"people\"]", "\"" + "x".repeat(5000) + "\"", "1e999"));
        Arbitrary<String> field = Arbitraries.of(
                "name", "team", "role", "password", "link", "url", "topics", "format", "scopes", "purposes", "x");
        Arbitrary<String> object = Arbitraries.maps(field, value).ofMaxSize(5).map(m -> {
            StringBuilder s = new StringBuilder("{");
            m.forEach((k, v) -> s.append(s.length() > 1 ? "," : "")
                    .append('"')
                    .append(k)
                    .append("\":")
                    .append(v));
            return s.append('}').toString();
        });
        return Arbitraries.oneOf(
                object, Arbitraries.strings().ofMaxLength(200), Arbitraries.of("", "{", "[1,2]", "\u0000"));
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.of(
                "kind", "actor", "object", "since", "until", "after", "limit", "size", "root", "topic", "before");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMaxLength(30),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of(
                        "-1",
                        "99999999999999999999",
                        "2026-13-45T99:00:00Z",
                        "0".repeat(64),
                        "%00",
                        "%25ZZ",
                        "%E2%82"));
        return Arbitraries.maps(name, value).ofMaxSize(4).map(m -> {
            StringBuilder q = new StringBuilder();
            m.forEach((k, v) ->
                    q.append(q.isEmpty() ? "" : "&").append(k).append('=').append(v));
            return q.toString();
        });
    }
}
