package dev.tandem.server;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admin routes issue 11 added (the processing quarantine, decide secrets) and the processor's
 * status and replay, each asked without
 * credentials, with credentials that are not enough (an API token holding every other scope, a
 * source's write key), and with bad input: wrong types, missing fields, huge bodies and names.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class NewAdminRoutesTest extends ServerPerTest {
    private static final String[][] ROUTES = {
        {"GET", "/v1/admin/processor/set-aside"},
        {"POST", "/v1/admin/processor/set-aside/replay"},
        {"GET", "/v1/admin/sources/test/decide-secret"},
        {"POST", "/v1/admin/sources/test/decide-secret"},
        {"GET", "/v1/admin/jobs"},
        {"GET", "/v1/admin/sources/test/origins"},
        {"PUT", "/v1/admin/sources/test/origins"},
        {"GET", "/v1/admin/processor"},
        {"POST", "/v1/admin/replay"},
    };

    NewAdminRoutesTest(StoreKind store) {
        super(store);
    }

    @Test
    void withoutCredentialsOrWithTooLittleTheyAreRefusedAndChangeNothing() {
        String apiToken = server.adminSend(
                        "POST",
                        "/v1/admin/tokens",
                        "{\"name\": \"wide\", \"scopes\": "
                                + "[\"profiles:read\", \"audiences:read\", \"experiments:read\", \"decide:explain\"], \"purposes\": [\"analytics\"]}")
                .json()
                .path("token")
                .asText();
        assertThat(apiToken).isNotBlank();
        for (String[] route : ROUTES) {
            String what = route[0] + " " + route[1];
            Http.Response none = send(route, "{\"all\": true}");
            assertError(none, 401, "missing_token");
            Http.Response scoped = send(route, "{\"all\": true}", "Authorization", "Bearer " + apiToken);
            assertThat(scoped.status()).as(what).isEqualTo(401);
            assertError(scoped, 401, "invalid_token");
            Http.Response writeKey = send(route, "{\"all\": true}", "Authorization", Http.basic(TestServer.WRITE_KEY));
            assertError(writeKey, 401, "missing_token");
        }
        // nothing was rotated by the refused calls: the source still has no secret
        assertError(server.admin("/v1/admin/sources/test/decide-secret"), 404, "no_decide_secret");
        // and no replay was started
        assertThat(server.admin("/v1/admin/processor").json().has("replayTarget"))
                .isFalse();
    }

    @Test
    void aReplayReadsNothingOfWhatItIsSent() {
        // no body, query or content type is part of the call: junk, a wrong type or a huge body starts the
        // same replay of everything stored, once
        assertThat(server.track("/v1/track", "{\"type\":\"track\",\"event\":\"A\",\"userId\":\"ann\"}")
                        .status())
                .isEqualTo(200);
        server.awaitProcessed();
        for (String body : new String[] {"", "{\"from\": \"yesterday\"}", "[1, 2", "x".repeat(3_000_000)}) {
            Http.Response started = server.adminSend("POST", "/v1/admin/replay?from=-1&seq=abc", body);
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            assertThat(started.json().path("replayTarget").asLong()).isGreaterThanOrEqualTo(1);
            server.awaitReplayed();
        }
        assertThat(server.profile("user_id:ann", "metadata")
                        .json()
                        .path("events")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void badInputToTheProcessingQuarantineGetsAClearError() {
        String replay = "/v1/admin/processor/set-aside/replay";
        assertError(server.adminSend("POST", replay, ""), 400, "missing_seqs");
        assertError(server.adminSend("POST", replay, "{\"seqs\": [1"), 400, "invalid_json");
        assertError(server.adminSend("POST", replay, "[1, 2]"), 400, "missing_seqs");
        assertError(server.adminSend("POST", replay, "{\"seqs\": 12}"), 400, "missing_seqs");
        assertError(server.adminSend("POST", replay, "{\"seqs\": []}"), 400, "missing_seqs");
        assertError(server.adminSend("POST", replay, "{\"seqs\": [1.5]}"), 400, "invalid_seq");
        assertError(server.adminSend("POST", replay, "{\"seqs\": [-4]}"), 400, "invalid_seq");
        assertError(server.adminSend("POST", replay, "{\"seqs\": [null]}"), 400, "invalid_seq");
        assertError(server.adminSend("POST", replay, "{\"all\": 1}"), 400, "missing_seqs");
        Http.Response huge = server.adminSend("POST", replay, "{\"seqs\": [" + "1,".repeat(1_500_000) + "1]}");
        assertThat(huge.status()).as(huge.body()).isEqualTo(400);
        assertThat(huge.json().at("/error/code").asText()).isNotBlank();
        assertThat(server.adminSend("POST", replay, "{\"seqs\": [12345]}")
                        .json()
                        .path("replayAsked")
                        .asInt())
                .isZero();

        String list = "/v1/admin/processor/set-aside";
        assertError(server.admin(list + "?limit=abc"), 400, "invalid_limit");
        assertError(server.admin(list + "?limit=0"), 400, "invalid_limit");
        assertError(server.admin(list + "?limit=1001"), 400, "invalid_limit");
        assertError(server.admin(list + "?after=x"), 400, "invalid_cursor");
        assertThat(server.admin(list + "?all=yes").json().path("events")).isEmpty();
    }

    @Test
    void badInputToDecideSecretsGetsAClearError() {
        assertError(server.admin("/v1/admin/sources/nope/decide-secret"), 404, "source_not_found");
        assertError(server.adminSend("POST", "/v1/admin/sources/nope/decide-secret", null), 404, "source_not_found");
        assertError(server.admin("/v1/admin/sources/" + "n".repeat(4_000) + "/decide-secret"), 404, "source_not_found");
        assertError(server.admin("/v1/admin/sources/%00/decide-secret"), 400, "bad_http");
        assertError(server.admin("/v1/admin/sources/test/decide-secret"), 404, "no_decide_secret");
        // a body, even a huge one, is not read: the secret is made by Tandem, never sent in
        Http.Response rotated = server.adminSend(
                "POST", "/v1/admin/sources/test/decide-secret", "{\"secret\": \"" + "s".repeat(100_000) + "\"}");
        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.json().path("secret").asText()).doesNotContain("sss").hasSizeGreaterThan(20);
        assertThat(server.admin("/v1/admin/sources/test/decide-secret")
                        .json()
                        .path("secret")
                        .asText())
                .isEqualTo(rotated.json().path("secret").asText());
        assertError(server.adminSend("DELETE", "/v1/admin/sources/test/decide-secret", null), 404, "not_found");
    }

    private Http.Response send(String[] route, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + route[1]));
        request.method(
                route[0],
                route[0].equals("GET")
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return server.http().send(request, headers);
    }
}
