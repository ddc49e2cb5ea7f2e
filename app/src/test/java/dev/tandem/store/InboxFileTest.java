package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox lives in its own SQLite file, so that appends never wait for the processor's write
 * lock; a data directory from before, with the inbox inside {@code tandem.db}, is moved over on its
 * first start with every event, its seq and the quarantine kept.
 */
class InboxFileTest {
    @TempDir
    Path dir;

    @Test
    void theInboxAndTheQuarantineLiveInTheirOwnFile() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            server.track("/v1/track", "{\"userId\": \"u1\", \"event\": \"Kept Apart\"}");
            server.track("/v1/track", "{\"event\": \"No Identity\"}");
            server.awaitProcessed();
        }
        try (Connection inbox = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("inbox.db"));
                Connection main = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tandem.db"))) {
            assertThat(count(inbox, "inbox")).isEqualTo(1);
            assertThat(count(inbox, "quarantine")).isEqualTo(1);
            assertThat(tableExists(main, "inbox"))
                    .as("tandem.db holds no inbox")
                    .isFalse();
            assertThat(tableExists(main, "quarantine")).isFalse();
            assertThat(tableExists(main, "profile_docs"))
                    .as("derived data stays in tandem.db")
                    .isTrue();
        }
    }

    @Test
    void aDataDirectoryFromBeforeHasItsInboxMovedOverWithSeqsKept() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            server.track("/v1/track", "{\"userId\": \"u1\", \"event\": \"First\"}");
            server.track("/v1/track", "{\"userId\": \"u2\", \"event\": \"Second\"}");
            server.track("/v1/track", "{\"event\": \"Refused\"}");
            server.awaitProcessed();
        }
        // Put the directory back the way Tandem before the split kept it: both tables inside tandem.db.
        try (Connection main = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tandem.db"));
                Statement st = main.createStatement()) {
            st.execute("ATTACH DATABASE '" + dir.resolve("inbox.db") + "' AS ib");
            st.execute("CREATE TABLE main.inbox AS SELECT * FROM ib.inbox");
            st.execute("CREATE TABLE main.quarantine AS SELECT * FROM ib.quarantine");
            st.execute("DELETE FROM ib.inbox");
            st.execute("DELETE FROM ib.quarantine");
            st.execute("DETACH DATABASE ib");
        }
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            server.track("/v1/track", "{\"userId\": \"u3\", \"event\": \"Third\"}");
            server.awaitProcessed();
            java.util.List<JsonNode> events = server.events();
            assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("First", "Second", "Third");
            assertThat(server.admin("/v1/quarantine").json().path("events")).hasSize(1);
            assertThat(server.profile("user_id:u1", "traits").status())
                    .as("the profiles built before the move are still there")
                    .isEqualTo(200);
        }
        try (Connection inbox = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("inbox.db"));
                Statement st = inbox.createStatement();
                ResultSet rs = st.executeQuery("SELECT seq FROM inbox ORDER BY seq")) {
            java.util.List<Long> seqs = new java.util.ArrayList<>();
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
            assertThat(seqs).as("moved seqs kept, new ones after them").containsExactly(1L, 2L, 3L);
        }
        try (Connection main = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tandem.db"))) {
            assertThat(tableExists(main, "inbox")).isFalse();
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            return rs.next();
        }
    }
}
