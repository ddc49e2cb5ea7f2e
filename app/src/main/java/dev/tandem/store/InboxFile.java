package dev.tandem.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Moves the inbox and the quarantine out of {@code tandem.db} into {@code inbox.db} (SQLite), once:
 * migrations up to V10 created them in {@code tandem.db}, where the processor's transactions held the
 * same write lock as every append. A fresh directory has them empty there, and they are dropped; a
 * directory from before has its rows copied, seqs and ids kept, in one transaction of the main
 * file. WAL mode commits each file on its own, so a crash can leave rows copied and the old tables
 * in place; the next start copies again, skipping rows already there by their seq or id.
 */
final class InboxFile {
    private static final String[] TABLES = {"inbox", "quarantine"};

    private InboxFile() {}

    static void moveOut(Database main, Database inbox) {
        try (Connection c = main.dataSource().getConnection();
                Statement st = c.createStatement()) {
            if (!exists(st, "main", "inbox")) {
                return;
            }
            c.setAutoCommit(true);
            st.execute("ATTACH DATABASE '" + inbox.file().toString().replace("'", "''") + "' AS moved");
            try {
                c.setAutoCommit(false);
                for (String table : TABLES) {
                    // OR IGNORE: rows a crash left copied already (same seq or id) are not copied twice.
                    st.execute("INSERT OR IGNORE INTO moved." + table + " SELECT * FROM main." + table);
                    st.execute("DROP TABLE main." + table);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                st.execute("DETACH DATABASE moved");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Moving the inbox into its own file (inbox.db) failed: " + e.getMessage()
                            + "; check that the data directory is writable and not full, then start again.",
                    e);
        }
    }

    private static boolean exists(Statement st, String schema, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery(
                "SELECT 1 FROM " + schema + ".sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            return rs.next();
        }
    }
}
