package dev.tandem.collect;

import dev.tandem.store.Database;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Fills the inbox of a benchmark store with ready-made events through the inbox's own insert
 * ({@link EventInsert}), in large commits: setting up a million profiles then takes seconds, and
 * what is measured afterwards (the processor, the Profile API) is not mixed with ingest.
 */
public final class InboxFixture {
    private InboxFixture() {}

    /** Appends {@code events} (JSON objects with a messageId), committing every {@code perCommit}; returns how many. */
    public static long append(Database database, String sourceId, Iterator<String> events, int perCommit)
            throws Exception {
        long n = 0;
        try (Connection connection = database.inbox().writerConnection();
                EventInsert insert = EventInsert.forDialect(database.dialect(), connection)) {
            List<Checked.Accepted> pending = new ArrayList<>(perCommit);
            while (events.hasNext()) {
                String json = events.next();
                int at = json.indexOf("\"messageId\":\"") + 13;
                pending.add(new Checked.Accepted(0, json.substring(at, json.indexOf('"', at)), EventType.TRACK, json));
                n++;
                if (pending.size() >= perCommit) {
                    insert.insert(List.of(
                            new Submission(sourceId, System.currentTimeMillis(), List.copyOf(pending), List.of())));
                    connection.commit();
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                insert.insert(
                        List.of(new Submission(sourceId, System.currentTimeMillis(), List.copyOf(pending), List.of())));
                connection.commit();
            }
        }
        return n;
    }
}
