package dev.tandem.protect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identifiers are stored as tokens and personal traits encrypted per profile; erasing a profile shreds its key, backups included. */
class ProtectionAtRestTest {
    @TempDir
    Path dir;

    @Test
    void tablesHoldTokensAndCiphertextAndABackupLosesThePersonalTraitsOfAnErasedProfile() throws Exception {
        Path keys = dir.resolve("keys");
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup");
        try (TestServer server =
                TestServer.start(StoreKind.SQLITE, data, Clock.systemUTC(), Map.of("keyStore", keys.toString()))) {
            server.track("/v1/identify", """
                    {"userId": "u-dana", "traits": {"email": "dana.r@example.com", "phone": "+1 212 555 0143", "name": "Dana Rowe", "plan": "pro"}}""");
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"u-eli\", \"traits\": {\"email\": \"eli@example.com\", \"plan\": \"basic\"}}");
            server.awaitProcessed();
            JsonNode traits =
                    server.profile("email:DANA.R@example.com", "traits").json().path("traits");
            assertThat(traits.path("name").asText())
                    .as("read back decrypted, found by its token")
                    .isEqualTo("Dana Rowe");
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("tandem.db"))) {
            List<String> values = column(db, "SELECT value FROM identity_links");
            assertThat(values)
                    .hasSize(5)
                    .allMatch(v -> v.startsWith("t1."))
                    .noneMatch(v -> v.contains("@") || v.contains("u-dana"));
            String docs = String.join("\n", column(db, "SELECT doc FROM profile_docs"));
            assertThat(docs)
                    .doesNotContain("dana.r@example.com", "Dana Rowe", "+12125550143", "eli@example.com")
                    .contains("\"v\":\"pro\"");
            assertThat(column(db, "SELECT id_value FROM identity_merges")).allMatch(v -> v.startsWith("t1."));
        }
        Path otherKeys = dir.resolve("other-keys");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.start(
                        StoreKind.SQLITE, data, Clock.systemUTC(), Map.of("keyStore", otherKeys.toString())))
                .isInstanceOf(dev.tandem.config.ConfigException.class)
                .hasMessageContaining("was just created")
                .hasMessageContaining("Point keyStore");
        Files.createDirectories(backup);
        Files.copy(data.resolve("tandem.db"), backup.resolve("tandem.db"));

        try (TestServer server =
                TestServer.start(StoreKind.SQLITE, data, Clock.systemUTC(), Map.of("keyStore", keys.toString()))) {
            String id = UUID.randomUUID().toString();
            assertThat(server.adminSend("POST", "/opendsr/requests", """
                    {"subject_request_id": "%s", "subject_request_type": "erasure",
                     "subject_identities": [{"identity_type": "controller_customer_id", "identity_value": "u-dana", "identity_format": "raw"}]}""".formatted(id))
                            .status())
                    .isEqualTo(201);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> server.admin("/opendsr/requests/" + id)
                            .json()
                            .path("request_status")
                            .asText()
                            .equals("completed"));
        }

        // the backup taken before the erasure, restored beside the same key store
        try (TestServer restored =
                TestServer.start(StoreKind.SQLITE, backup, Clock.systemUTC(), Map.of("keyStore", keys.toString()))) {
            JsonNode dana = restored.profile("user_id:u-dana", "traits").json().path("traits");
            assertThat(dana.path("plan").asText()).isEqualTo("pro");
            assertThat(dana.has("email") || dana.has("name") || dana.has("phone"))
                    .as("shredded: " + dana)
                    .isFalse();
            JsonNode eli = restored.profile("user_id:u-eli", "traits").json().path("traits");
            assertThat(eli.path("email").asText())
                    .as("other profiles keep their keys")
                    .isEqualTo("eli@example.com");
        }
    }

    private static List<String> column(Connection db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (var st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
