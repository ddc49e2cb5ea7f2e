package dev.tandem.bench;

import dev.tandem.collect.Archive;
import dev.tandem.collect.InboxAging;
import dev.tandem.config.Json;
import dev.tandem.store.Database;
import dev.tandem.store.Dialect;
import dev.tandem.store.InLists;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * {@code ./tandem bench retention [--events 1000000] [--slice 10000] [--database-url URL]}: an
 * inbox of a million processed events (about 420 bytes each, a profile event index row each)
 * received 401 days ago; then the retention path archives them all in slices of the job's size
 * (read, find each event's profile, gzip into the day file, fsync, delete the inbox and index rows
 * and record the file in one transaction per slice), against a plain DELETE of the same rows (inbox
 * and index, same slices, keys in hand) of the same inbox filled again, in the same run.
 */
public final class RetentionBenchmark {
    private static final String SOURCE = "bench-source";
    private static final long DAY = 86_400_000L;

    private RetentionBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("events", "1000000");
        defaults.put("slice", "10000");
        defaults.put("database-url", null);
        Map<String, String> o = Options.parse(args, defaults);
        int events = Integer.parseInt(o.get("events"));
        int slice = Integer.parseInt(o.get("slice"));
        Path dir = Files.createTempDirectory("tandem-bench-retention");
        try (Database sqlite = Database.sqlite(dir.resolve("sqlite"), "FULL")) {
            run("SQLite (FULL)", sqlite, dir.resolve("sqlite-archive"), events, slice);
        }
        if (o.get("database-url") != null) {
            try (Database postgres = Database.postgres(o.get("database-url"))) {
                run("PostgreSQL", postgres, dir.resolve("pg-archive"), events, slice);
            }
        }
    }

    private static void run(String store, Database db, Path archiveDir, int events, int slice) {
        long receivedAt = System.currentTimeMillis() - 401 * DAY;
        fill(db, events, receivedAt);
        Archive archive = new Archive(archiveDir, db.jdbi());
        long now = System.currentTimeMillis();
        long started = System.nanoTime();
        long archived = 0;
        while (true) {
            List<Long> seqs = db.jdbi().inTransaction(h -> {
                archive.lockForWrite(h);
                List<Long> moved = InboxAging.archiveEvents(
                        h,
                        archive,
                        Json.mapper(),
                        SOURCE,
                        Long.MAX_VALUE,
                        now - 400 * DAY,
                        slice,
                        seq -> true,
                        s -> profilesOf(h, s));
                forget(h, moved);
                return moved;
            });
            if (seqs.isEmpty()) {
                break;
            }
            archived += seqs.size();
        }
        double archiveSeconds = (System.nanoTime() - started) / 1e9;
        long bytes = archive.days(Archive.Kind.EVENTS).stream()
                .mapToLong(Archive.Day::bytes)
                .sum();

        db.jdbi().useHandle(h -> {
            h.execute("DELETE FROM inbox");
            h.execute("DELETE FROM event_owners");
        });
        fill(db, events, receivedAt);
        List<Long> all = LongStream.rangeClosed(1, events - 1).boxed().toList();
        started = System.nanoTime();
        for (int from = 0; from < all.size(); from += slice) {
            List<Long> piece = all.subList(from, Math.min(all.size(), from + slice));
            db.jdbi().useTransaction(h -> {
                InboxAging.deleteEvents(h, piece);
                forget(h, piece);
            });
        }
        double deleteSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "%s, %,d events, slices of %,d:%n  archive (read, gzip, fsync, delete): %,.0f events/s (%,d archived, %.1f s, %,d bytes of gzip, %.0f bytes an event)%n"
                        + "  baseline: plain DELETE of the same rows:  %,.0f events/s (%.1f s)%n  ratio: %.2f%n",
                store,
                events,
                slice,
                archived / archiveSeconds,
                archived,
                archiveSeconds,
                bytes,
                bytes / (double) Math.max(1, archived),
                all.size() / deleteSeconds,
                deleteSeconds,
                (archived / archiveSeconds) / (all.size() / deleteSeconds));
    }

    private static Map<Long, Long> profilesOf(org.jdbi.v3.core.Handle h, List<Long> seqs) {
        Map<Long, Long> owners = new HashMap<>();
        for (List<Long> chunk : InLists.chunks(seqs)) {
            h.createQuery("SELECT seq, profile_id FROM event_owners WHERE seq IN (<s>)")
                    .bindList("s", chunk)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                    .forEach(e -> owners.put(e.getKey(), e.getValue()));
        }
        return owners;
    }

    private static void forget(org.jdbi.v3.core.Handle h, List<Long> seqs) {
        for (List<Long> chunk : InLists.chunks(seqs)) {
            h.createUpdate("DELETE FROM event_owners WHERE seq IN (<s>)")
                    .bindList("s", chunk)
                    .execute();
        }
    }

    /** Events 1..n with explicit seqs, as processed: the inbox rows and one index row each. */
    private static void fill(Database db, int events, long receivedAt) {
        String inbox = db.dialect() == Dialect.POSTGRESQL
                ? "INSERT INTO inbox (seq, source_id, message_id, type, received_at, payload) OVERRIDING SYSTEM VALUE VALUES (?, ?, ?, ?, ?, ?)"
                : "INSERT INTO inbox (seq, source_id, message_id, type, received_at, payload) VALUES (?, ?, ?, ?, ?, ?)";
        for (int from = 1; from <= events; from += 10_000) {
            int start = from;
            db.jdbi().useTransaction(h -> {
                try (PreparedStatement in = h.getConnection().prepareStatement(inbox);
                        PreparedStatement index = h.getConnection()
                                .prepareStatement("INSERT INTO event_owners (profile_id, seq) VALUES (?, ?)")) {
                    for (int seq = start; seq < start + 10_000 && seq <= events; seq++) {
                        String id = "m-" + seq;
                        in.setLong(1, seq);
                        in.setString(2, SOURCE);
                        in.setString(3, id);
                        in.setString(4, "track");
                        in.setLong(5, receivedAt + seq);
                        in.setString(6, payload(seq, id));
                        in.addBatch();
                        index.setLong(1, seq % 100_000 + 1);
                        index.setLong(2, seq);
                        index.addBatch();
                    }
                    in.executeBatch();
                    index.executeBatch();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static String payload(int seq, String messageId) {
        return "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u-" + (seq % 100_000)
                + "\",\"messageId\":\"" + messageId
                + "\",\"timestamp\":\"2025-01-01T10:00:00.000Z\",\"receivedAt\":\"2025-01-01T10:00:00.120Z\","
                + "\"properties\":{\"order_id\":\"o-" + seq + "\",\"total\":129.9,\"currency\":\"EUR\","
                + "\"products\":[{\"sku\":\"sku-1\",\"price\":64.95,\"quantity\":2}]},"
                + "\"context\":{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.1\"},"
                + "\"ip\":\"203.0.113.7\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\"}}";
    }
}
