package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients see when PostgreSQL misbehaves under Tandem: nothing acknowledged is ever lost. */
class StoreFailureTest {
    @TempDir
    Path dir;

    private static void sql(TestServer server, String statement) throws SQLException {
        try (Connection admin = DriverManager.getConnection(server.config().databaseUrl());
                Statement s = admin.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void droppedConnectionsAreReplacedWithoutTheClientNoticing() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.POSTGRESQL, dir)) {
            assertThat(server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"Before\"}")
                            .status())
                    .isEqualTo(200);
            sql(
                    server,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            assertThat(server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"During\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"After\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(server.events())
                    .extracting(e -> e.get("event").asText())
                    .containsExactly("Before", "During", "After");
        }
    }

    @Test
    void aStoreThatCannotCommitIs503WithRetryAfterUntilItRecovers() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.POSTGRESQL, dir)) {
            assertThat(server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"Before\"}")
                            .status())
                    .isEqualTo(200);
            sql(server, "ALTER TABLE inbox RENAME TO inbox_away");
            Http.Response refused = server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"Refused\"}");
            assertError(refused, 503, "store_unavailable");
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            Http.Response ready = server.http().get("/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().at("/checks/inbox").asText()).contains("could not commit");

            sql(server, "ALTER TABLE inbox_away RENAME TO inbox");
            assertThat(server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"After\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(server.http().get("/ready").status()).isEqualTo(200);
            assertThat(server.events()).extracting(e -> e.get("event").asText()).containsExactly("Before", "After");
        }
    }
}
