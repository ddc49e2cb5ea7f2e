package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.JsonText;
import dev.tandem.store.Database;
import dev.tandem.store.InLists;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The outbox tables' SQL: rows owed, each destination's cursor, parked rows, dead letters, the
 * profiles each destination received, and SLA states. Bookkeeping commits go through
 * {@link Database#inDerivedTransaction}: a power cut can only undo the last few, which sends those
 * rows again (at least once), never loses one.
 */
final class OutboxStore {
    private static final String REPLAY_MARK = "#replayed";

    private final Database database;
    private final Jdbi jdbi;

    OutboxStore(Database database) {
        this.database = database;
        this.jdbi = database.jdbi();
    }

    void inTransaction(org.jdbi.v3.core.HandleConsumer<RuntimeException> work) {
        database.inDerivedTransaction(work);
    }

    /** A destination's position and the end of its batch in flight (0: none). */
    record Position(long position, long inflightTo) {}

    Position position(String destination) {
        return jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO outbox_cursors (destination, position, inflight_to) VALUES (:d, 0, 0) "
                            + "ON CONFLICT DO NOTHING")
                    .bind("d", destination)
                    .execute();
            return h.createQuery("SELECT position, inflight_to FROM outbox_cursors WHERE destination = :d")
                    .bind("d", destination)
                    .map((rs, ctx) -> new Position(rs.getLong(1), rs.getLong(2)))
                    .one();
        });
    }

    /** Rows for {@code destination} after {@code after} and at most {@code upTo}, in order. */
    List<OutboxRow> fresh(String destination, long after, long upTo, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, profile_id, kind, seq, detail, received_at FROM outbox "
                        + "WHERE id > :after AND id <= :upTo AND destinations LIKE :d ORDER BY id LIMIT :n")
                .bind("after", after)
                .bind("upTo", upTo)
                .bind("d", "%," + destination + ",%")
                .bind("n", limit)
                .map((rs, ctx) -> new OutboxRow(
                        rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getLong(6)))
                .list());
    }

    /** The outbox rows with these ids (parked ones being sent again); erased ones are missing. */
    Map<Long, OutboxRow> rows(Collection<Long> ids) {
        Map<Long, OutboxRow> out = new HashMap<>();
        jdbi.useHandle(h -> {
            for (List<Long> chunk : InLists.chunks(ids)) {
                h.createQuery("SELECT id, profile_id, kind, seq, detail, received_at FROM outbox WHERE id IN (<ids>)")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> new OutboxRow(
                                rs.getLong(1),
                                rs.getLong(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getString(5),
                                rs.getLong(6)))
                        .forEach(r -> out.put(r.id(), r));
            }
        });
        return out;
    }

    long maxId() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM outbox")
                .mapTo(Long.class)
                .one());
    }

    void markInflight(String destination, long upTo) {
        inTransaction(h -> h.createUpdate("UPDATE outbox_cursors SET inflight_to = :to WHERE destination = :d")
                .bind("to", upTo)
                .bind("d", destination)
                .execute());
    }

    void advance(Handle h, String destination, long position) {
        advance(h, destination, position, 0);
    }

    /** Moves the cursor and records the end of the next batch ({@code inflightTo}; 0: none yet). */
    void advance(Handle h, String destination, long position, long inflightTo) {
        h.createUpdate("UPDATE outbox_cursors SET position = :p, inflight_to = :i WHERE destination = :d")
                .bind("p", position)
                .bind("i", inflightTo)
                .bind("d", destination)
                .execute();
    }

    /** The destination's parked rows in outbox order, at most {@code limit}. */
    List<Parked> parked(String destination, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT outbox_id, profile_id, batch, attempts, not_before, first_attempt_at, last_error "
                                + "FROM outbox_parked WHERE destination = :d ORDER BY outbox_id LIMIT :n")
                .bind("d", destination)
                .bind("n", limit)
                .map((rs, ctx) -> new Parked(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getString(7)))
                .list());
    }

    /** How many rows each profile has parked for the destination. */
    Map<Long, Integer> parkedProfiles(String destination) {
        Map<Long, Integer> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT profile_id, COUNT(*) FROM outbox_parked WHERE destination = :d GROUP BY profile_id")
                .bind("d", destination)
                .map((rs, ctx) -> out.put(rs.getLong(1), rs.getInt(2)))
                .list());
        return out;
    }

    /** Parks a row, or moves a parked one: its batch, attempts, next time and last error. */
    void park(Handle h, String destination, Parked p) {
        h.createUpdate("DELETE FROM outbox_parked WHERE destination = :d AND outbox_id = :id")
                .bind("d", destination)
                .bind("id", p.outboxId())
                .execute();
        h.createUpdate("INSERT INTO outbox_parked (destination, outbox_id, profile_id, batch, attempts, not_before, "
                        + "first_attempt_at, last_error) VALUES (:d, :id, :p, :b, :a, :nb, :f, :e)")
                .bind("d", destination)
                .bind("id", p.outboxId())
                .bind("p", p.profileId())
                .bind("b", p.batch())
                .bind("a", p.attempts())
                .bind("nb", p.notBefore())
                .bind("f", p.firstAttemptAt())
                .bind("e", p.lastError())
                .execute();
    }

    void unpark(Handle h, String destination, long outboxId) {
        h.createUpdate("DELETE FROM outbox_parked WHERE destination = :d AND outbox_id = :id")
                .bind("d", destination)
                .bind("id", outboxId)
                .execute();
    }

    void deadLetter(Handle h, String destination, OutboxRow row, DeadLetter.Attempt attempt, String had, String sent) {
        h.createUpdate("INSERT INTO dead_letters (destination, outbox_id, profile_id, at, attempts, reason, had, sent, "
                        + "response) VALUES (:d, :o, :p, :at, :a, :r, :had, :sent, :resp)")
                .bind("d", destination)
                .bind("o", row.id())
                .bind("p", row.profileId())
                .bind("at", attempt.at())
                .bind("a", attempt.attempts())
                .bind("r", attempt.reason())
                .bind("had", had)
                .bind("sent", sent)
                .bind("resp", attempt.response())
                .execute();
    }

    List<DeadLetter> deadLetters(String destination, long after, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, outbox_id, profile_id, at, attempts, reason, response, "
                                + "replayed_at, had, sent FROM dead_letters WHERE destination = :d AND id > :after ORDER BY id LIMIT :n")
                .bind("d", destination)
                .bind("after", after)
                .bind("n", limit)
                .map((rs, ctx) -> new DeadLetter(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        new DeadLetter.Attempt(
                                rs.getLong(4), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getLong(8)),
                        json(rs.getString(9)),
                        json(rs.getString(10))))
                .list());
    }

    long deadLetterCount(String destination) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM dead_letters WHERE destination = :d")
                .bind("d", destination)
                .mapTo(Long.class)
                .one());
    }

    /**
     * Queues dead letters of the destination again as outbox rows of their messages, and marks them
     * replayed; {@code ids} empty means every one not replayed yet. Returns how many. Runs on the
     * processor's thread (a pipeline-lane job), so outbox ids stay in commit order.
     */
    int replay(Handle h, String destination, List<Long> ids, long now) {
        List<DeadLetter> letters = h.createQuery("SELECT id, profile_id, had FROM dead_letters WHERE destination = :d "
                        + "AND replayed_at IS NULL AND had IS NOT NULL ORDER BY id")
                .bind("d", destination)
                .map((rs, ctx) -> new DeadLetter(
                        rs.getLong(1),
                        0,
                        rs.getLong(2),
                        new DeadLetter.Attempt(0, 0, "", "", 0),
                        json(rs.getString(3)),
                        null))
                .list();
        int n = 0;
        for (DeadLetter l : letters) {
            if (!ids.isEmpty() && !ids.contains(l.id())) {
                continue;
            }
            h.createUpdate("INSERT INTO outbox (profile_id, kind, seq, detail, destinations, received_at) "
                            + "VALUES (:p, :k, 0, :m, :d, :at)")
                    .bind("p", l.profileId())
                    .bind("k", OutboxRow.MESSAGE)
                    .bind("m", l.had().toString())
                    .bind("d", "," + destination + ",")
                    .bind("at", now)
                    .execute();
            h.createUpdate("UPDATE dead_letters SET replayed_at = :at WHERE id = :id")
                    .bind("at", now)
                    .bind("id", l.id())
                    .execute();
            n++;
        }
        return n;
    }

    /** Queues a message (a deletion) for these destinations, inside the caller's transaction. */
    void queueMessage(Handle h, List<String> destinations, String message, long now) {
        h.createUpdate("INSERT INTO outbox (profile_id, kind, seq, detail, destinations, received_at) "
                        + "VALUES (0, :k, 0, :m, :d, :at)")
                .bind("k", OutboxRow.MESSAGE)
                .bind("m", message)
                .bind("d", "," + String.join(",", destinations) + ",")
                .bind("at", now)
                .execute();
    }

    void received(Handle h, String destination, Collection<Long> profiles) {
        var insert = h.prepareBatch(
                "INSERT INTO destination_subjects (destination, profile_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
        profiles.forEach(p -> insert.add(destination, p));
        insert.execute();
    }

    /** The destinations that received data of any of these profiles. */
    List<String> recipients(Handle h, Collection<Long> profiles) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (List<Long> chunk : InLists.chunks(profiles)) {
            out.addAll(h.createQuery("SELECT DISTINCT destination FROM destination_subjects WHERE profile_id IN (<p>)")
                    .bindList("p", chunk)
                    .mapTo(String.class)
                    .list());
        }
        return List.copyOf(out);
    }

    /** Deletes every row about these profiles: owed, parked, dead letters, who received them. */
    void erase(Handle h, Collection<Long> profiles) {
        for (List<Long> chunk : InLists.chunks(profiles)) {
            for (String table : List.of("outbox_parked", "dead_letters", "destination_subjects", "outbox")) {
                h.createUpdate("DELETE FROM " + table + " WHERE profile_id IN (<p>)")
                        .bindList("p", chunk)
                        .execute();
            }
        }
    }

    /** What waits for the destination: rows after its cursor and parked rows, and the receipt time of the oldest. */
    record Waiting(long fresh, long parked, long oldestReceivedAt) {
        long count() {
            return fresh + parked;
        }
    }

    Waiting waiting(String destination, long position) {
        return jdbi.withHandle(h -> {
            String like = "%," + destination + ",%";
            long fresh = h.createQuery("SELECT COUNT(*) FROM outbox WHERE id > :p AND destinations LIKE :d")
                    .bind("p", position)
                    .bind("d", like)
                    .mapTo(Long.class)
                    .one();
            long parked = h.createQuery("SELECT COUNT(*) FROM outbox_parked WHERE destination = :d")
                    .bind("d", destination)
                    .mapTo(Long.class)
                    .one();
            long oldest = Long.MAX_VALUE;
            Long parkedAt = h.createQuery("SELECT MIN(o.received_at) FROM outbox_parked k JOIN outbox o "
                            + "ON o.id = k.outbox_id WHERE k.destination = :d")
                    .bind("d", destination)
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(null);
            Long freshAt = h.createQuery("SELECT received_at FROM outbox WHERE id = "
                            + "(SELECT MIN(id) FROM outbox WHERE id > :p AND destinations LIKE :like)")
                    .bind("p", position)
                    .bind("like", like)
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(null);
            for (Long at : java.util.Arrays.asList(parkedAt, freshAt)) {
                if (at != null && at > 0) {
                    oldest = Math.min(oldest, at);
                }
            }
            return new Waiting(fresh, parked, oldest == Long.MAX_VALUE ? 0 : oldest);
        });
    }

    /** Deletes outbox rows every destination is past and none has parked. */
    int clean(Collection<String> destinations) {
        if (destinations.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> {
            Long min = h.createQuery("SELECT MIN(position) FROM outbox_cursors WHERE destination IN (<d>)")
                    .bindList("d", List.copyOf(destinations))
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(null);
            long count = h.createQuery("SELECT COUNT(*) FROM outbox_cursors WHERE destination IN (<d>)")
                    .bindList("d", List.copyOf(destinations))
                    .mapTo(Long.class)
                    .one();
            if (min == null || count < destinations.size()) {
                return 0;
            }
            int[] deleted = new int[1];
            database.inDerivedTransaction(tx -> deleted[0] = tx.createUpdate("DELETE FROM outbox WHERE id <= :m "
                            + "AND NOT EXISTS (SELECT 1 FROM outbox_parked k WHERE k.outbox_id = outbox.id)")
                    .bind("m", min)
                    .execute());
            return deleted[0];
        });
    }

    /** The last event seq the outbox had, noted when a replay from the start began. */
    long noteReplay(Handle h) {
        long max = h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM outbox")
                .mapTo(Long.class)
                .one();
        long mark = Math.max(max, replayedUpTo(h));
        h.createUpdate("DELETE FROM outbox_cursors WHERE destination = :m")
                .bind("m", REPLAY_MARK)
                .execute();
        h.createUpdate("INSERT INTO outbox_cursors (destination, position, inflight_to) VALUES (:m, :p, 0)")
                .bind("m", REPLAY_MARK)
                .bind("p", mark)
                .execute();
        return mark;
    }

    long replayedUpTo() {
        return jdbi.withHandle(this::replayedUpTo);
    }

    private long replayedUpTo(Handle h) {
        return h.createQuery("SELECT position FROM outbox_cursors WHERE destination = :m")
                .bind("m", REPLAY_MARK)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L);
    }

    /** Records a change of SLA state. */
    void state(String destination, long at, String state, String reasons) {
        inTransaction(h -> h.createUpdate(
                        "INSERT INTO destination_states (destination, at, state, reasons) VALUES (:d, :at, :s, :r)")
                .bind("d", destination)
                .bind("at", at)
                .bind("s", state)
                .bind("r", reasons)
                .execute());
    }

    /** A state change as recorded. */
    record StateChange(long at, String state, String reasons) {}

    /** The latest state changes, newest first. */
    List<StateChange> states(String destination, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT at, state, reasons FROM destination_states WHERE destination = :d ORDER BY id DESC LIMIT :n")
                .bind("d", destination)
                .bind("n", limit)
                .map((rs, ctx) -> new StateChange(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list());
    }

    private static JsonNode json(String text) {
        return text == null ? null : JsonText.readOrText(text);
    }
}
