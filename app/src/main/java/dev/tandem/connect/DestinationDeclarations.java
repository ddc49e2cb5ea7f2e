package dev.tandem.connect;

import dev.tandem.store.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The destinations made through the admin API, as declared (table {@code destination_declarations},
 * V12), and what making or deleting one does to the outbox's bookkeeping: a new destination starts
 * at the end of the outbox, so it receives what is written from then on, never history; a deleted
 * one leaves its cursor, parked rows and the list of profiles it received, and keeps its dead
 * letters and state history.
 */
final class DestinationDeclarations {
    private final Jdbi jdbi;

    DestinationDeclarations(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Every declaration, by key, oldest first. */
    Map<String, String> all() {
        Map<String, String> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT destination, declaration FROM destination_declarations "
                        + "ORDER BY created_at, destination")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    boolean exists(String key) {
        return jdbi.withHandle(
                        h -> h.createQuery("SELECT COUNT(*) FROM destination_declarations WHERE destination = :d")
                                .bind("d", key)
                                .mapTo(Long.class)
                                .one())
                > 0;
    }

    /**
     * Saves a new destination and puts its cursor at the end of the outbox, in one transaction.
     * Why before it is live: rows naming it can only be written once the stage knows it, so every
     * row it is owed lies after this cursor.
     */
    void create(String key, String declaration, long now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM outbox_cursors WHERE destination = :d")
                    .bind("d", key)
                    .execute();
            h.createUpdate("INSERT INTO outbox_cursors (destination, position, inflight_to) "
                            + "SELECT :d, COALESCE(MAX(id), 0), 0 FROM outbox")
                    .bind("d", key)
                    .execute();
            h.createUpdate("INSERT INTO destination_declarations (destination, declaration, created_at, updated_at) "
                            + "VALUES (:d, :j, :t, :t)")
                    .bind("d", key)
                    .bind("j", declaration)
                    .bind("t", now)
                    .execute();
        });
    }

    /** Replaces a declaration; the cursor and what is parked stay, so delivery goes on where it was. */
    void update(String key, String declaration, long now) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE destination_declarations SET declaration = :j, updated_at = :t WHERE destination = :d")
                .bind("d", key)
                .bind("j", declaration)
                .bind("t", now)
                .execute());
    }

    /** What a deletion abandoned: items not delivered yet (after the cursor, or parked), and the dead letters kept. */
    record Deleted(long undelivered, long deadLetters) {}

    /** Deletes a declaration and its bookkeeping, in one transaction; the destination must be stopped already. */
    Deleted delete(String key) {
        return jdbi.inTransaction(h -> {
            // write first: on SQLite a transaction that reads and then writes cannot wait for the lock (SQLITE_BUSY)
            long parked = h.createUpdate("DELETE FROM outbox_parked WHERE destination = :d")
                    .bind("d", key)
                    .execute();
            long position = h.createQuery(
                            "SELECT COALESCE(MAX(position), 0) FROM outbox_cursors WHERE destination = :d")
                    .bind("d", key)
                    .mapTo(Long.class)
                    .one();
            long after = h.createQuery("SELECT COUNT(*) FROM outbox WHERE id > :p AND destinations LIKE :k")
                    .bind("p", position)
                    .bind("k", "%," + key + ",%")
                    .mapTo(Long.class)
                    .one();
            for (String table : new String[] {"outbox_cursors", "destination_subjects", "destination_declarations"}) {
                h.createUpdate("DELETE FROM " + table + " WHERE destination = :d")
                        .bind("d", key)
                        .execute();
            }
            long letters = h.createQuery("SELECT COUNT(*) FROM dead_letters WHERE destination = :d")
                    .bind("d", key)
                    .mapTo(Long.class)
                    .one();
            return new Deleted(after + parked, letters);
        });
    }
}
