package dev.tandem.collect;

import dev.tandem.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQL that appends to the inbox and the quarantine, in one transaction per group. It works
 * on one JDBC connection held by a single writer and binds plain strings: the hot path uses JDBC
 * directly, because per row Jdbi would resolve argument types again and again for the same columns.
 */
final class InboxStore implements AutoCloseable {
    private static final String INSERT_REJECTED =
            "INSERT INTO quarantine (source_id, received_at, code, message, field, payload) VALUES (?, ?, ?, ?, ?, ?)";

    private final Connection connection;
    private final EventInsert insertEvents;
    private final PreparedStatement insertRejected;

    InboxStore(Connection connection, Dialect dialect) throws SQLException {
        this.connection = connection;
        this.insertEvents = EventInsert.forDialect(dialect, connection);
        this.insertRejected = connection.prepareStatement(INSERT_REJECTED);
    }

    /**
     * Appends the submissions in one transaction and commits it.
     *
     * @return for each submission, how many of its accepted events were duplicates
     */
    int[] append(List<Submission> submissions) throws SQLException {
        try {
            int[] duplicates = insertEvents.insert(submissions);
            boolean anyRejected = false;
            for (Submission s : submissions) {
                for (Checked.Rejected r : s.rejected()) {
                    insertRejected.setString(1, s.sourceId());
                    insertRejected.setLong(2, s.receivedAt());
                    insertRejected.setString(3, r.reason().code());
                    insertRejected.setString(4, r.reason().message());
                    insertRejected.setString(5, r.reason().field());
                    insertRejected.setString(6, r.payload());
                    insertRejected.addBatch();
                    anyRejected = true;
                }
            }
            if (anyRejected) {
                insertRejected.executeBatch();
            }
            connection.commit();
            return duplicates;
        } catch (SQLException | RuntimeException e) {
            insertRejected.clearBatch();
            rollbackQuietly(e);
            throw e;
        }
    }

    /** False when the connection itself is gone, as opposed to a statement having failed on it. */
    boolean connectionAlive() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connection;
                EventInsert a = insertEvents;
                Statement b = insertRejected) {
            // closed in reverse order by try-with-resources
        }
    }
}
