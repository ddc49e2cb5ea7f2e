package dev.tandem.protect;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys raw events are sealed with, one or more per subject, in {@code event_keys} of the key
 * store. An event may be acknowledged only once the key of its values is stored, so keys are
 * stored <em>before</em> they are needed: a pool of keys wrapped and stored in bulk by a thread of
 * their own ({@code subject} empty: not given to anyone yet). A request thread takes one from the
 * pool and the inbox writer's commit does not wait for the key store at all.
 *
 * <p>Which subject a pooled key went to is written later, in bulk (every {@link #FLUSH_MS} ms, and
 * whenever the pool is refilled), with
 * the inbox's newest seq read before it as a watermark: every event at or below it took its key
 * before that read. After a crash, {@link #recover} reads the inbox after the watermark and links the
 * keys its events carry to their subjects, so an erasure still finds every key of a subject. Keys
 * of the pool that no stored event carries are destroyed then, never handed out again.
 *
 * <p>When the pool runs dry (a burst faster than its thread), a key is made on the spot and stored
 * by the inbox writer before the group commits ({@link #storePending}), as without a pool.
 */
final class EventKeys {
    static final int CACHE_LIMIT = 500_000;
    /**
     * How often the links are stored, in ms: 200 unless the system property {@code
     * tandem.eventKeyLinksMs} says otherwise (a crash test sets it high, to find them lost).
     */
    static final long FLUSH_MS = Long.getLong("tandem.eventKeyLinksMs", 200);

    private static final Logger log = LoggerFactory.getLogger(EventKeys.class);
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    /** A key for the raw events of one subject, and its id, which each value it encrypts carries. */
    record EventKey(String id, Aead aead) {}

    private record PendingKey(String id, String subject, byte[] raw) {}

    private record Link(String id, String subject) {}

    private final Object lock;
    private final Connection db;
    private final Aead master;
    private final ConcurrentHashMap<String, EventKey> currentBySubject = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Aead> byId = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<PendingKey> pending = new ConcurrentLinkedQueue<>();
    private final EventKeyPool pool = new EventKeyPool(this);

    private final ConcurrentLinkedQueue<Link> links = new ConcurrentLinkedQueue<>();

    /** @param lock what every use of {@code db} synchronizes on (the key store) */
    EventKeys(Object lock, Connection db, Aead master) throws SQLException {
        this.lock = lock;
        this.db = db;
        this.master = master;
        try (Statement st = db.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS event_keys (id TEXT PRIMARY KEY, subject TEXT NOT NULL,"
                    + " wrapped BLOB NOT NULL, created_at INTEGER NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS event_keys_subject ON event_keys (subject)");
            st.execute("CREATE TABLE IF NOT EXISTS event_key_marks (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        }
    }

    /**
     * The key to encrypt a subject's event values with: the one in use, else one from the pool,
     * else a new one held in memory until {@link #storePending}. Runs for every event on request
     * threads, so it takes no lock and reads nothing from the store: a subject whose key left memory
     * (a restart, the cache's bound) gets another one, and erasure destroys them all by subject.
     */
    EventKey forSubject(String subject) {
        EventKey key = currentBySubject.get(subject);
        if (key != null) {
            return key;
        }
        if (currentBySubject.size() >= CACHE_LIMIT) {
            currentBySubject.clear();
        }
        return currentBySubject.computeIfAbsent(subject, this::take);
    }

    private EventKey take(String subject) {
        EventKey key = pool.take();
        if (key != null) {
            links.add(new Link(key.id(), subject));
            return key;
        }
        byte[] raw = new byte[32];
        RANDOM.get().nextBytes(raw);
        key = newKey(raw);
        pending.add(new PendingKey(key.id(), subject, raw));
        return key;
    }

    /**
     * A key id: {@code e}, the time in ms and random bytes, 24 hex digits in all. The time first puts
     * new keys at the end of the table's index instead of at a random page.
     */
    private EventKey newKey(byte[] raw) {
        byte[] id = new byte[12];
        RANDOM.get().nextBytes(id);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 6; i++) {
            id[i] = (byte) (now >>> (8 * (5 - i)));
        }
        String name = "e" + HexFormat.of().formatHex(id);
        try {
            EventKey key = new EventKey(name, new AesGcmJce(raw));
            if (byId.size() >= CACHE_LIMIT) {
                byId.clear();
            }
            byId.put(name, key.aead());
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Creating an event key failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stores the keys made on the spot since the last call, wrapped and durably, in one transaction;
     * the inbox writer calls it before it commits a group, so no stored event carries a key that was
     * lost. Nothing to do while the pool keeps up. When storing fails, the keys stay pending for the
     * next call (the group fails with 503).
     */
    void storePending() {
        if (pending.isEmpty()) {
            return;
        }
        synchronized (lock) {
            // Why under the lock: an erasure must not run between taking a key and storing it.
            List<PendingKey> batch = new ArrayList<>();
            for (PendingKey k; (k = pending.poll()) != null; ) {
                batch.add(k);
            }
            try {
                insert(batch);
            } catch (SQLException | GeneralSecurityException e) {
                pending.addAll(batch);
                throw new IllegalStateException("Storing event keys failed: " + e.getMessage(), e);
            }
        }
    }

    private void insert(List<PendingKey> keys) throws SQLException, GeneralSecurityException {
        try (PreparedStatement st = db.prepareStatement(
                "INSERT OR IGNORE INTO event_keys (id, subject, wrapped, created_at) VALUES (?, ?, ?, ?)")) {
            long now = System.currentTimeMillis();
            for (PendingKey k : keys) {
                st.setString(1, k.id());
                st.setString(2, k.subject());
                st.setBytes(3, master.encrypt(k.raw(), k.id().getBytes(StandardCharsets.UTF_8)));
                st.setLong(4, now);
                st.addBatch();
            }
            inTransaction(st::executeBatch);
        }
    }

    /** An event key by id, or null when it was destroyed (or never stored). */
    Aead byId(String id) {
        Aead k = byId.get(id);
        if (k != null) {
            return k;
        }
        synchronized (lock) {
            try (PreparedStatement st = db.prepareStatement("SELECT wrapped FROM event_keys WHERE id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Aead loaded = new AesGcmJce(master.decrypt(rs.getBytes(1), id.getBytes(StandardCharsets.UTF_8)));
                    if (byId.size() >= CACHE_LIMIT) {
                        byId.clear();
                    }
                    byId.put(id, loaded);
                    return loaded;
                }
            } catch (SQLException | GeneralSecurityException e) {
                throw new IllegalStateException("Reading an event key failed: " + e.getMessage(), e);
            }
        }
    }

    /** Destroys every event key of these subjects: their events' personal values can no longer be read anywhere. */
    void destroySubjects(Collection<String> subjects) {
        synchronized (lock) {
            // Why first: removing a subject's current key waits out a request taking one for it, whose link
            // must be in the flush below, or its key would outlive the erasure
            for (String subject : subjects) {
                EventKey taken = currentBySubject.remove(subject);
                if (taken != null) {
                    byId.remove(taken.id());
                }
            }
            flushLinks(-1);
            try (PreparedStatement ids = db.prepareStatement("SELECT id FROM event_keys WHERE subject = ?");
                    PreparedStatement del = db.prepareStatement("DELETE FROM event_keys WHERE subject = ?")) {
                for (String subject : subjects) {
                    EventKey current = currentBySubject.remove(subject);
                    if (current != null) {
                        byId.remove(current.id());
                    }
                    pending.removeIf(k -> k.subject().equals(subject));
                    ids.setString(1, subject);
                    try (ResultSet rs = ids.executeQuery()) {
                        while (rs.next()) {
                            byId.remove(rs.getString(1));
                        }
                    }
                    del.setString(1, subject);
                    del.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Destroying event keys failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes which subject each pooled key went to, in one transaction, with {@code watermark} (the
     * inbox's newest seq read before the links were taken from the queue; -1 to keep the stored one).
     */
    private void flushLinks(long watermark) {
        List<Link> batch = new ArrayList<>();
        for (Link l; (l = links.poll()) != null; ) {
            batch.add(l);
        }
        if (batch.isEmpty() && watermark < 0) {
            return;
        }
        try (PreparedStatement st = db.prepareStatement("UPDATE event_keys SET subject = ? WHERE id = ?");
                PreparedStatement mark = db.prepareStatement(
                        "INSERT OR REPLACE INTO event_key_marks (name, value) VALUES ('links_through_seq', ?)")) {
            for (Link l : batch) {
                st.setString(1, l.subject());
                st.setString(2, l.id());
                st.addBatch();
            }
            inTransaction(() -> {
                st.executeBatch();
                if (watermark >= 0) {
                    mark.setLong(1, watermark);
                    mark.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            links.addAll(batch);
            throw new IllegalStateException("Storing which subject event keys belong to failed: " + e.getMessage(), e);
        }
    }

    /** The watermark: every event at or below this seq has the subject of its pooled key stored. */
    long linkedThrough() throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT value FROM event_key_marks WHERE name = 'links_through_seq'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Pooled keys no subject was recorded for: given out just before a crash, or never given out. */
    java.util.Set<String> unlinked() throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM event_keys WHERE subject = ''")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Records that a stored event used the pooled key {@code id} for {@code subject} (recovery). */
    void relink(String id, String subject) {
        links.add(new Link(id, subject));
    }

    /**
     * After recovery: stores the links found, destroys the pooled keys no event carries, sets the
     * watermark. When the key store refuses (locked by another process), the links stay queued for
     * the pool's thread and the unused keys for the next start: a start does not fail for it.
     */
    void recovered(long watermark) {
        synchronized (lock) {
            try (Statement st = db.createStatement()) {
                flushLinks(watermark);
                int gone = st.executeUpdate("DELETE FROM event_keys WHERE subject = ''");
                if (gone > 0) {
                    log.atInfo().addKeyValue("keys", gone).log("destroyed pooled event keys no stored event carries");
                }
            } catch (SQLException | IllegalStateException e) {
                log.atWarn()
                        .addKeyValue("cause", e.getMessage())
                        .log(
                                "the key store refused to record the event keys' subjects at start; retrying in the background");
            }
        }
    }

    private <T> T inTransaction(SqlWork<T> work) throws SQLException {
        db.setAutoCommit(false);
        try {
            T out = work.run();
            db.commit();
            return out;
        } catch (SQLException | RuntimeException e) {
            try {
                db.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is broken; the next use reports it
            }
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Starts the pool's thread (see {@link EventKeyPool}); {@code latestSeq} is the inbox's newest seq. */
    void startPool(LongSupplier latestSeq) {
        pool.start(latestSeq);
    }

    /** Makes {@code count} keys given to nobody yet and stores them, for the pool. */
    List<EventKey> makeUnassigned(int count) throws SQLException, GeneralSecurityException {
        List<PendingKey> made = new ArrayList<>(count);
        List<EventKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] raw = new byte[32];
            RANDOM.get().nextBytes(raw);
            EventKey key = newKey(raw);
            made.add(new PendingKey(key.id(), "", raw));
            keys.add(key);
        }
        synchronized (lock) {
            insert(made);
        }
        return keys;
    }

    /** Whether links wait to be stored. */
    boolean linksWaiting() {
        return !links.isEmpty();
    }

    /** Stores the links waiting, with {@code watermark} (see {@link #flushLinks}). */
    void storeLinks(long watermark) {
        synchronized (lock) {
            flushLinks(watermark);
        }
    }

    /**
     * Stops the pool's thread, stores the links still in memory and destroys the keys left in the
     * pool. Should that fail, the next start destroys them once it has checked that no stored event
     * carries one.
     */
    void close() {
        long seq = pool.stop();
        synchronized (lock) {
            try {
                flushLinks(seq);
            } catch (IllegalStateException e) {
                log.atWarn()
                        .addKeyValue("cause", e.getMessage())
                        .log(
                                "the subjects of the last event keys were not stored; the next start finds them in the inbox");
            }
            destroyPooled(pool.drain());
        }
    }

    /** Destroys the keys left in the pool: nobody was given them. */
    private void destroyPooled(List<EventKey> left) {
        try (PreparedStatement st = db.prepareStatement("DELETE FROM event_keys WHERE id = ? AND subject = ''")) {
            for (EventKey k : left) {
                st.setString(1, k.id());
                st.addBatch();
                byId.remove(k.id());
            }
            inTransaction(st::executeBatch);
        } catch (SQLException e) {
            log.atWarn()
                    .addKeyValue("cause", e.getMessage())
                    .log("unused pooled event keys stay until the next start, which destroys them");
        }
    }
}
