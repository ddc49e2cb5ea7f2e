package dev.tandem.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.ServerProcess;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw events are sealed with keys taken from a pool stored ahead of time, and which subject each
 * key went to is stored a moment later. The server is killed with -9 before it stored that for the
 * last events it acknowledged: after the restart it finds them in the inbox, so an erasure still
 * destroys every key of the subject, and a copy of the data taken before the erasure shows none of
 * the subject's personal values, while another subject's still decrypt.
 */
class SealedKeysAfterCrashTest {
    private static final String TOKEN = "sealed-crash-admin-token-1";
    private static final String WRITE_KEY = "wk_sealed_crash";

    @TempDir
    Path dir;

    @Test
    void anErasureAfterACrashStillDestroysEveryKeyOfTheSubject() throws Exception {
        Path workspace = dir.resolve("tandem.yaml");
        Files.writeString(workspace, "sources:\n  - name: web\n    writeKey: " + WRITE_KEY + "\n");
        Path keys = dir.resolve("keys");
        Map<String, String> env = Map.of("TANDEM_KEY_STORE", keys.toString());
        int port = ServerProcess.freePort();
        // links of pooled keys are stored every 10 minutes here, so the kill finds them all unstored
        Process server =
                ServerProcess.start(dir, port, workspace, null, TOKEN, env, List.of("-Dtandem.eventKeyLinksMs=600000"));
        Http http = new Http("http://localhost:" + port);
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        batch.append("""
                {"type": "identify", "userId": "u-dana", "traits": {"email": "dana.r@example.com", "name": "Dana Rowe"}},
                {"type": "identify", "userId": "u-eli", "traits": {"email": "eli@example.com", "name": "Eli Moss"}}""");
        for (int i = 0; i < 40; i++) {
            batch.append(",{\"type\": \"identify\", \"userId\": \"u-")
                    .append(i)
                    .append("\", \"traits\": {\"email\": \"person")
                    .append(i)
                    .append("@example.com\"}}");
        }
        String body = batch.append("]}").toString();
        assertThat(http.post("/v1/batch", body, "Authorization", Http.basic(WRITE_KEY))
                        .status())
                .isEqualTo(200);
        server.destroyForcibly().waitFor();

        assertThat(eventKeys(keys, "subject <> ''"))
                .as("no key was linked to its subject before the kill")
                .isZero();
        assertThat(eventKeys(keys, "subject = ''"))
                .as("the pool's keys, 42 of them used")
                .isGreaterThanOrEqualTo(42);
        Path backup = dir.resolve("backup");
        copy(dir.resolve("data"), backup);

        Process again = ServerProcess.start(dir, port, workspace, null, TOKEN, env, List.of());
        try {
            assertThat(eventKeys(keys, "subject <> ''"))
                    .as("the restart found the 42 keys in the inbox and linked them to their subjects")
                    .isEqualTo(42);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> http.get("/v1/admin/processor", "Authorization", "Bearer " + TOKEN)
                                    .json()
                                    .path("lagEvents")
                                    .asLong()
                            == 0);
            String id = UUID.randomUUID().toString();
            assertThat(http.post("/opendsr/requests", """
                            {"subject_request_id": "%s", "subject_request_type": "erasure",
                             "subject_identities": [{"identity_type": "email", "identity_value": "dana.r@example.com", "identity_format": "raw"}]}""".formatted(id), "Authorization", "Bearer " + TOKEN)
                            .status())
                    .isEqualTo(201);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> http.get("/opendsr/requests/" + id, "Authorization", "Bearer " + TOKEN)
                            .json()
                            .path("request_status")
                            .asText()
                            .equals("completed"));
        } finally {
            again.destroy();
            again.waitFor();
        }

        try (TestServer restored =
                TestServer.start(StoreKind.SQLITE, backup, Clock.systemUTC(), Map.of("keyStore", keys.toString()))) {
            List<JsonNode> events = restored.events();
            assertThat(events).as("the copy holds every acknowledged event").hasSize(42);
            String all = events.toString();
            assertThat(all).doesNotContain("dana.r@example.com").doesNotContain("Dana Rowe");
            assertThat(events.get(1).at("/traits/email").asText())
                    .as("another subject's values still decrypt")
                    .isEqualTo("eli@example.com");
            assertThat(events.get(41).at("/traits/email").asText()).isEqualTo("person39@example.com");
        }
    }

    /** How many raw-event keys of the key store match {@code where}. */
    private static long eventKeys(Path keys, String where) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + keys.resolve("keys.db"));
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM event_keys WHERE " + where)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f));
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
