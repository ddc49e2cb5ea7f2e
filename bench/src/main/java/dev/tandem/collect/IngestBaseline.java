package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.store.Database;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * The unavoidable work of durable ingest, in one thread with no HTTP and no checks: parse each
 * batch body, write each event back as JSON, and append it with the inbox's own insert
 * ({@link EventInsert}), committing (and so fsyncing) once per {@code eventsPerCommit} events.
 * It lives in this package to use exactly the server's insert code.
 */
public final class IngestBaseline {
    private IngestBaseline() {}

    /** @return events per second */
    public static double run(Database database, List<byte[]> bodies, int eventsPerCommit, ObjectMapper mapper)
            throws Exception {
        long events = 0;
        long start = System.nanoTime();
        try (Connection connection = database.inbox().writerConnection();
                EventInsert insert = EventInsert.forDialect(database.dialect(), connection)) {
            List<Checked.Accepted> pending = new ArrayList<>(eventsPerCommit + 100);
            for (byte[] body : bodies) {
                for (JsonNode event : mapper.readTree(body).get("batch")) {
                    pending.add(new Checked.Accepted(
                            0, event.get("messageId").asText(), EventType.TRACK, mapper.writeValueAsString(event)));
                    events++;
                }
                if (pending.size() >= eventsPerCommit) {
                    commit(connection, insert, pending);
                }
            }
            commit(connection, insert, pending);
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }

    private static void commit(Connection connection, EventInsert insert, List<Checked.Accepted> pending)
            throws Exception {
        if (!pending.isEmpty()) {
            insert.insert(
                    List.of(new Submission("baseline", System.currentTimeMillis(), List.copyOf(pending), List.of())));
            connection.commit();
            pending.clear();
        }
    }
}
