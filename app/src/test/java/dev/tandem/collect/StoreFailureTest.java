package dev.tandem.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the database drops Tandem's connections (a PostgreSQL restart or failover), the request
 * in flight gets 503 with Retry-After and nothing acknowledged is lost; the next one reconnects.
 */
class StoreFailureTest {
    @TempDir
    Path dir;

    @Test
    void aLostDatabaseConnectionIs503AndTheNextRequestReconnects() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.POSTGRESQL, dir)) {
            assertThat(server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"Before\"}").status()).isEqualTo(200);
            String url = server.config().databaseUrl();
            try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()");
            }
            Http.Response lost = server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"Lost\"}");
            assertThat(lost.status()).isEqualTo(503);
            assertThat(lost.header("Retry-After")).isEqualTo("5");
            assertThat(lost.json().at("/error/code").asText()).isEqualTo("store_unavailable");
            assertThat(server.http().get("/ready").json().at("/checks/inbox").asText()).contains("could not commit");

            assertThat(server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"After\"}").status()).isEqualTo(200);
            assertThat(server.http().get("/ready").status()).isEqualTo(200);
            assertThat(server.events()).extracting(e -> e.get("event").asText()).containsExactly("Before", "After");
        }
    }
}
