package dev.tandem.collect;

import dev.tandem.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends the accepted events of a group of submissions to the inbox, skipping messageIds the
 * source sent before, and says which were duplicates. One way per dialect, for speed: SQLite
 * runs a prepared statement per row in process; PostgreSQL gets the whole group as arrays in
 * one statement, which costs one round trip instead of one per row.
 */
sealed interface EventInsert extends AutoCloseable permits EventInsert.RowByRow, EventInsert.Arrays {

    /** @return for each submission, how many of its accepted events were already stored */
    int[] insert(List<Submission> submissions) throws SQLException;

    @Override
    void close() throws SQLException;

    static EventInsert forDialect(Dialect dialect, Connection connection) throws SQLException {
        return switch (dialect) {
            case SQLITE ->
                new RowByRow(connection.prepareStatement(
                        "INSERT INTO inbox (source_id, message_id, type, received_at, payload) VALUES (?, ?, ?, ?, ?) "
                                + "ON CONFLICT (source_id, message_id) DO NOTHING"));
            case POSTGRESQL -> new Arrays(connection, connection.prepareStatement("""
                    INSERT INTO inbox (source_id, message_id, type, received_at, payload)
                    SELECT s, m, t, r, p
                      FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) WITH ORDINALITY AS e(s, m, t, r, p, n)
                     ORDER BY n
                    ON CONFLICT (source_id, message_id) DO NOTHING
                    RETURNING source_id, message_id"""));
        };
    }

    /** One bound row per event in a JDBC batch; the driver reports 0 rows for a duplicate. */
    record RowByRow(PreparedStatement statement) implements EventInsert {
        @Override
        public int[] insert(List<Submission> submissions) throws SQLException {
            for (Submission s : submissions) {
                for (Checked.Accepted a : s.accepted()) {
                    statement.setString(1, s.sourceId());
                    statement.setString(2, a.messageId());
                    statement.setString(3, a.type().wireName());
                    statement.setLong(4, s.receivedAt());
                    statement.setString(5, a.payload());
                    statement.addBatch();
                }
            }
            int[] counts;
            try {
                counts = statement.executeBatch();
            } finally {
                statement.clearBatch();
            }
            int[] duplicates = new int[submissions.size()];
            int row = 0;
            for (int i = 0; i < submissions.size(); i++) {
                for (int n = 0; n < submissions.get(i).accepted().size(); n++, row++) {
                    if (counts[row] == 0) {
                        duplicates[i]++;
                    }
                }
            }
            return duplicates;
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }

    /**
     * The group as five arrays, inserted in their order (WITH ORDINALITY keeps arrival order in
     * seq); RETURNING names the rows that went in, so the rest are duplicates. When one messageId
     * comes twice in a group, its first occurrence is the one inserted.
     */
    record Arrays(Connection connection, PreparedStatement statement) implements EventInsert {
        @Override
        public int[] insert(List<Submission> submissions) throws SQLException {
            int total = 0;
            for (Submission s : submissions) {
                total += s.accepted().size();
            }
            if (total == 0) {
                return new int[submissions.size()];
            }
            String[] sources = new String[total];
            String[] ids = new String[total];
            String[] types = new String[total];
            Long[] received = new Long[total];
            String[] payloads = new String[total];
            int row = 0;
            for (Submission s : submissions) {
                for (Checked.Accepted a : s.accepted()) {
                    sources[row] = s.sourceId();
                    ids[row] = a.messageId();
                    types[row] = a.type().wireName();
                    received[row] = s.receivedAt();
                    payloads[row++] = a.payload();
                }
            }
            statement.setArray(1, connection.createArrayOf("text", sources));
            statement.setArray(2, connection.createArrayOf("text", ids));
            statement.setArray(3, connection.createArrayOf("text", types));
            statement.setArray(4, connection.createArrayOf("bigint", received));
            statement.setArray(5, connection.createArrayOf("text", payloads));
            java.util.Set<String> inserted = new java.util.HashSet<>(total * 2);
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1) + '\n' + rs.getString(2));
                }
            }
            int[] duplicates = new int[submissions.size()];
            for (int i = 0; i < submissions.size(); i++) {
                Submission s = submissions.get(i);
                for (Checked.Accepted a : s.accepted()) {
                    if (!inserted.remove(s.sourceId() + '\n' + a.messageId())) {
                        duplicates[i]++;
                    }
                }
            }
            return duplicates;
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }
}
