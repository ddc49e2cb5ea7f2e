package dev.tandem.server;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Tandem servers on one PostgreSQL database: a token made on one works on the other, and a token
 * deleted on one stops working on the other within {@link ApiTokens#RECHECK_EVERY}, not at its restart.
 */
class TokensAcrossServersTest {
    @TempDir
    Path dir;

    @Test
    void aTokenDeletedOnOneServerStopsWorkingOnTheOtherWithinTheRecheckBound() throws Exception {
        TestClock clock = TestClock.standard();
        Map<String, String> shared = Map.of(
                "databaseUrl",
                Postgres.freshDatabaseUrl(),
                "keyStore",
                dir.resolve("keys").toString());
        java.nio.file.Files.createDirectories(dir.resolve("a"));
        java.nio.file.Files.createDirectories(dir.resolve("b"));
        try (TestServer a = TestServer.start(StoreKind.POSTGRESQL, dir.resolve("a"), clock, shared);
                TestServer b = TestServer.start(StoreKind.POSTGRESQL, dir.resolve("b"), clock, shared)) {
            String token = a.adminSend(
                            "POST", "/v1/admin/tokens", "{\"name\": \"reader\", \"scopes\": [\"audiences:read\"]}")
                    .json()
                    .path("token")
                    .asText();
            String bearer = "Bearer " + token;
            // made on a, known on b at once, and listed there
            assertThat(get(b, bearer).status()).isEqualTo(200);
            assertThat(b.admin("/v1/admin/tokens").body()).contains("\"reader\"");

            assertThat(a.adminSend("DELETE", "/v1/admin/tokens/reader", null).status())
                    .isEqualTo(204);
            assertError(get(a, bearer), 401, "invalid_token");
            // b may have taken it on trust a moment longer, never past the bound
            clock.advance(ApiTokens.RECHECK_EVERY);
            assertError(get(b, bearer), 401, "invalid_token");
            assertThat(b.admin("/v1/admin/tokens").body()).doesNotContain("\"reader\"");

            // a name freed on a is free on b, and a token of that name made on b works on a
            String again = b.adminSend(
                            "POST", "/v1/admin/tokens", "{\"name\": \"reader\", \"scopes\": [\"audiences:read\"]}")
                    .json()
                    .path("token")
                    .asText();
            assertThat(get(a, "Bearer " + again).status()).isEqualTo(200);
            assertError(get(a, bearer), 401, "invalid_token");
        }
    }

    private static Http.Response get(TestServer server, String bearer) {
        return server.http().get("/v1/audiences", "Authorization", bearer);
    }
}
