package dev.tandem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * The unavoidable work of durable ingest, in one thread with no HTTP: parse each batch body,
 * write each event back as JSON, and append it to the same inbox table with the same statement,
 * committing (and so fsyncing) once per {@code eventsPerCommit} events.
 */
final class Baseline {
    private Baseline() {}

    /** @return events per second */
    static double run(Database database, List<byte[]> bodies, int eventsPerCommit, ObjectMapper mapper) throws Exception {
        long events = 0;
        long start = System.nanoTime();
        try (Connection connection = database.writerConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO inbox (source_id, message_id, type, received_at, payload) VALUES (?, ?, ?, ?, ?) "
                             + "ON CONFLICT (source_id, message_id) DO NOTHING")) {
            int pending = 0;
            for (byte[] body : bodies) {
                for (JsonNode event : mapper.readTree(body).get("batch")) {
                    insert.setString(1, "baseline");
                    insert.setString(2, event.get("messageId").asText());
                    insert.setString(3, event.get("type").asText());
                    insert.setLong(4, System.currentTimeMillis());
                    insert.setString(5, mapper.writeValueAsString(event));
                    insert.addBatch();
                    events++;
                    if (++pending >= eventsPerCommit) {
                        insert.executeBatch();
                        connection.commit();
                        pending = 0;
                    }
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }
}
