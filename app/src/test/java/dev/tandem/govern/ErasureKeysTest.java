package dev.tandem.govern;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An erasure is completed only once its profile's key is destroyed. The failing key store is a
 * real one: another connection holds an exclusive lock on {@code keys.db} (as a backup tool or a
 * stuck process would), so deleting the key fails with SQLITE_BUSY, for root too.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ErasureKeysTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    ErasureKeysTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void anErasureWaitsForItsKeyThroughAFailingKeyStoreAndARestartAndThenShredsIt() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        Path backup = dir.resolve("backup");
        TestServer server = TestServer.start(store, data, Clock.systemUTC(), Map.of("keyStore", keys.toString()));
        try {
            server.track("/v1/identify", """
                    {"userId": "u-dana", "traits": {"email": "dana.r@example.com", "name": "Dana Rowe", "plan": "pro"}}""");
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"u-eli\", \"traits\": {\"email\": \"eli@example.com\", \"plan\": \"basic\"}}");
            server.awaitProcessed();
            if (store == StoreKind.SQLITE) {
                Files.createDirectories(backup);
                try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("tandem.db"));
                        Statement st = db.createStatement()) {
                    st.executeUpdate("backup to " + backup.resolve("tandem.db"));
                }
            }
            String id = UUID.randomUUID().toString();
            try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + keys.resolve("keys.db"))) {
                lock.createStatement().execute("BEGIN EXCLUSIVE");
                assertThat(subjectKeys(lock)).as("both profiles have a key").isEqualTo(2);
                assertThat(server.adminSend("POST", "/opendsr/requests", erasure(id, "u-dana"))
                                .status())
                        .isEqualTo(201);
                JsonNode waiting = awaitStatus(
                        server, id, s -> s.path("status_reason").asText().contains(":"));
                assertThat(waiting.path("request_status").asText()).isEqualTo("in_progress");
                assertThat(waiting.path("status_reason").asText())
                        .as("the profile's key, and the keys of the raw events of its user id")
                        .startsWith("waiting to destroy 2 keys: ")
                        .contains("locked");
                assertThat(waiting.path("completed_time").isNull()).isTrue();
                assertThat(waiting.path("result").path("profiles_deleted").asInt())
                        .as("the data is deleted already")
                        .isEqualTo(1);
                assertThat(subjectKeys(lock)).as("the key survives the failure").isEqualTo(2);

                server.restart();
                JsonNode afterRestart = server.admin("/opendsr/requests/" + id).json();
                assertThat(afterRestart.path("request_status").asText())
                        .as("a restart does not complete it")
                        .isEqualTo("in_progress");
                awaitStatus(server, id, s -> s.path("status_reason").asText().contains("locked"));
                lock.createStatement().execute("ROLLBACK");
            }
            JsonNode done = awaitStatus(
                    server, id, s -> s.path("request_status").asText().equals("completed"));
            assertThat(done.path("completed_time").asText()).isNotEmpty();
            assertThat(done.has("status_reason")).isFalse();
            try (Connection keysDb = DriverManager.getConnection("jdbc:sqlite:" + keys.resolve("keys.db"))) {
                assertThat(subjectKeys(keysDb))
                        .as("only the other profile's key is left")
                        .isEqualTo(1);
            }
            server.track("/v1/identify", "{\"userId\": \"u-fay\", \"traits\": {\"email\": \"fay@example.com\"}}");
            server.track("/v1/identify", "{\"userId\": \"u-gus\", \"traits\": {\"email\": \"gus@example.com\"}}");
            server.awaitProcessed();
            assertThat(server.profile("user_id:u-gus", "traits")
                            .json()
                            .path("traits")
                            .path("email")
                            .asText())
                    .as("new profiles after the erasure get new ids and keys")
                    .isEqualTo("gus@example.com");
            assertThat(server.profile("user_id:u-fay", "traits")
                            .json()
                            .path("traits")
                            .path("email")
                            .asText())
                    .isEqualTo("fay@example.com");
        } finally {
            server.close();
        }
        if (store == StoreKind.SQLITE) {
            // the copy of the data taken before the erasure, beside the same key store
            try (TestServer restored = TestServer.start(
                    StoreKind.SQLITE, backup, Clock.systemUTC(), Map.of("keyStore", keys.toString()))) {
                JsonNode dana =
                        restored.profile("user_id:u-dana", "traits").json().path("traits");
                assertThat(dana.path("plan").asText()).isEqualTo("pro");
                assertThat(dana.has("email") || dana.has("name"))
                        .as("shredded: " + dana)
                        .isFalse();
                assertThat(restored.profile("user_id:u-eli", "traits")
                                .json()
                                .path("traits")
                                .path("email")
                                .asText())
                        .isEqualTo("eli@example.com");
            }
        }
    }

    private static String erasure(String id, String userId) {
        return """
                {"subject_request_id": "%s", "subject_request_type": "erasure",
                 "subject_identities": [{"identity_type": "controller_customer_id", "identity_value": "%s", "identity_format": "raw"}]}""".formatted(id, userId);
    }

    private static JsonNode awaitStatus(TestServer server, String id, java.util.function.Predicate<JsonNode> until) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> server.admin("/opendsr/requests/" + id).json(), until::test);
    }

    private static long subjectKeys(Connection keysDb) throws Exception {
        try (Statement st = keysDb.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM subject_keys")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
