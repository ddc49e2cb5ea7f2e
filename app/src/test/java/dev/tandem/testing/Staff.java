package dev.tandem.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** People of a test workspace, each signed in once and holding a token of their own. */
public final class Staff {
    private static final String PASSWORD = "correct horse battery staple";

    private Staff() {}

    /** Adds a person, sets their password, signs in and returns a token of theirs with {@code scopes} (a JSON list). */
    public static String person(TestServer server, String name, String team, String role, String scopes) {
        Http.Response added = server.adminSend(
                "POST",
                "/v1/admin/people",
                "{\"name\": \"" + name + "\", \"team\": \"" + team + "\", \"role\": \"" + role + "\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        Http.Response set = server.http()
                .post(
                        "/v1/people/password",
                        "{\"link\": \"" + added.json().path("link").asText() + "\", \"password\": \"" + PASSWORD
                                + "\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(204);
        Http.Response in = server.http()
                .post(
                        "/v1/session",
                        "{\"name\": \"" + name + "\", \"password\": \"" + PASSWORD + "\"}",
                        "Content-Type",
                        "application/json");
        assertThat(in.status()).as(in.body()).isEqualTo(201);
        String cookie = in.header("Set-Cookie");
        Http.Response token = server.http()
                .post(
                        "/v1/session/tokens",
                        "{\"name\": \"" + name + "-token\", \"scopes\": " + scopes + "}",
                        "Cookie",
                        cookie.substring(0, cookie.indexOf(';')),
                        "X-CSRF-Token",
                        in.json().path("csrfToken").asText(),
                        "Content-Type",
                        "application/json");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        return token.json().path("token").asText();
    }

    public static Http.Response send(TestServer server, String token, String method, String path, String body) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
                .method(
                        method,
                        body == null
                                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        return server.http().send(request, "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }
}
