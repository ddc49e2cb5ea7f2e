package dev.tandem.collect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQL that appends to the inbox and the quarantine. It works on one JDBC connection held by
 * a single writer and binds plain strings: the hot path uses JDBC batches directly, because per
 * row Jdbi would resolve argument types again and again for the same five columns.
 */
final class InboxStore implements AutoCloseable {
    private static final String INSERT_EVENT =
            "INSERT INTO inbox (source_id, message_id, type, received_at, payload) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT (source_id, message_id) DO NOTHING";
    private static final String INSERT_REJECTED =
            "INSERT INTO quarantine (source_id, received_at, code, message, field, payload) VALUES (?, ?, ?, ?, ?, ?)";

    private final Connection connection;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertRejected;

    InboxStore(Connection connection) throws SQLException {
        this.connection = connection;
        this.insertEvent = connection.prepareStatement(INSERT_EVENT);
        this.insertRejected = connection.prepareStatement(INSERT_REJECTED);
    }

    /**
     * Appends the submissions in one transaction and commits it.
     *
     * @return for each submission, how many of its accepted events were duplicates
     */
    int[] append(List<Submission> submissions) throws SQLException {
        int[] duplicates = new int[submissions.size()];
        boolean anyRejected = false;
        try {
            for (Submission s : submissions) {
                for (Checked.Accepted a : s.accepted()) {
                    insertEvent.setString(1, s.sourceId());
                    insertEvent.setString(2, a.messageId());
                    insertEvent.setString(3, a.type().wireName());
                    insertEvent.setLong(4, s.receivedAt());
                    insertEvent.setString(5, a.payload());
                    insertEvent.addBatch();
                }
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
            int[] counts = insertEvent.executeBatch();
            if (anyRejected) {
                insertRejected.executeBatch();
            }
            connection.commit();
            int row = 0;
            for (int i = 0; i < submissions.size(); i++) {
                for (int n = 0; n < submissions.get(i).accepted().size(); n++, row++) {
                    // 0 rows inserted: the (source, messageId) pair was stored before.
                    if (counts[row] == 0) {
                        duplicates[i]++;
                    }
                }
            }
            return duplicates;
        } catch (SQLException | RuntimeException e) {
            insertEvent.clearBatch();
            insertRejected.clearBatch();
            rollbackQuietly(e);
            throw e;
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
        try (Connection c = connection; Statement a = insertEvent; Statement b = insertRejected) {
            // closed in reverse order by try-with-resources
        }
    }
}
