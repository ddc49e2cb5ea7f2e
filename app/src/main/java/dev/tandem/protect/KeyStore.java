package dev.tandem.protect;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.daead.AesSivParameters;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.subtle.AesGcmJce;
import dev.tandem.store.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tandem's keys, kept apart from the data: a directory of its own holding the master key
 * ({@code master-key.json}, a Tink keyset, readable by the owner only) and {@code keys.db}, an
 * SQLite file with one key per subject (per profile) and the tokenization key, each wrapped by the
 * master key. Destroying a subject's key makes every copy of what it encrypted unreadable,
 * backups included (crypto-shredding); the file zeroes deleted keys (secure_delete).
 *
 * <p>Subject keys are AES-256-GCM keys of 32 random bytes (Tink's AES-GCM primitive); creating
 * one is a random draw and one master encryption, so a new profile costs microseconds. Keys in
 * use are cached, the least recently used dropped first.
 */
public final class KeyStore implements AutoCloseable {
    private static final int CACHE_LIMIT = 500_000;
    private static final byte[] TOKEN_KEY_CONTEXT = "tandem tokenization key".getBytes(StandardCharsets.UTF_8);

    private final Connection db;
    private final Aead master;
    private final Tokenizer tokenizer;
    private final SecureRandom random = new SecureRandom();
    /** Least recently used keys are dropped first; every access holds the store's lock. */
    private final boolean created;

    private final boolean tokenKeyCreated;
    private final EventKeys events;
    private final Map<String, Aead> cache = new java.util.LinkedHashMap<>(1 << 16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Aead> eldest) {
            return size() > CACHE_LIMIT;
        }
    };

    private KeyStore(Connection db, Aead master, Tokenizer tokenizer, boolean created, boolean tokenKeyCreated)
            throws SQLException {
        this.db = db;
        this.events = new EventKeys(this, db, master);
        this.master = master;
        this.tokenizer = tokenizer;
        this.created = created;
        this.tokenKeyCreated = tokenKeyCreated;
    }

    /** True when this start created the key store (no master key existed). */
    public boolean createdNow() {
        return created;
    }

    /**
     * True when this start created the tokenization key: a new key store, or a master key whose
     * {@code keys.db} was missing or empty. Identifiers tokenized before cannot be matched then.
     */
    public boolean tokenKeyCreatedNow() {
        return tokenKeyCreated;
    }

    /**
     * What identifies this key store without revealing a key: the token of a fixed text under its
     * tokenization key (AES-SIV, so a known text and its token say nothing about the key). Kept by
     * the data at first start, compared at every later one.
     */
    public String fingerprint() {
        // Why "key-store": identifier type names are letters, digits and '_', so no identifier has this token
        return tokenizer.token("key-store", "fingerprint");
    }

    /** Opens the key store in {@code dir}, creating the master key, the file and the tokenization key on first use. */
    public static KeyStore open(Path dir) {
        try {
            AeadConfig.register();
            DeterministicAeadConfig.register();
            PrivateFiles.directory(dir);
            boolean created = !Files.exists(dir.resolve("master-key.json"));
            PrivateFiles.warnIfOpen(dir.resolve("master-key.json"));
            Aead master = masterKey(dir.resolve("master-key.json"));
            Path file = dir.resolve("keys.db").toAbsolutePath();
            // Why first: SQLite creates the file 644 and its -wal and -shm with the file's mode
            if (!PrivateFiles.file(file)) {
                PrivateFiles.warnIfOpen(file.resolveSibling("keys.db-wal"));
                PrivateFiles.warnIfOpen(file.resolveSibling("keys.db-shm"));
            }
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = FULL");
                st.execute("PRAGMA secure_delete = ON");
                st.execute(
                        "CREATE TABLE IF NOT EXISTS subject_keys (id TEXT PRIMARY KEY, wrapped BLOB NOT NULL, created_at INTEGER NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS service_keys (name TEXT PRIMARY KEY, keyset BLOB NOT NULL)");
            }
            boolean newTokenKey = !hasTokenKey(db);
            return new KeyStore(db, master, new Tokenizer(tokenKey(db, master)), created, newTokenKey);
        } catch (IOException | java.io.UncheckedIOException | SQLException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Cannot open the key store in " + dir + ": " + e.getMessage()
                            + ". Check that the directory is writable and that master-key.json is the one this data was written with.",
                    e);
        }
    }

    private static Aead masterKey(Path file) throws IOException, GeneralSecurityException {
        KeysetHandle handle;
        if (Files.exists(file)) {
            handle = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get());
        } else {
            handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.file(tmp);
            Files.writeString(tmp, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    private static boolean hasTokenKey(Connection db) throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 FROM service_keys WHERE name = 'tokenization'")) {
            return rs.next();
        }
    }

    private static DeterministicAead tokenKey(Connection db, Aead master)
            throws SQLException, GeneralSecurityException {
        try (PreparedStatement st = db.prepareStatement("SELECT keyset FROM service_keys WHERE name = 'tokenization'");
                ResultSet rs = st.executeQuery()) {
            if (rs.next()) {
                return TinkProtoKeysetFormat.parseEncryptedKeyset(rs.getBytes(1), master, TOKEN_KEY_CONTEXT)
                        .getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
            }
        }
        // Why no prefix: Tink's 5-byte key-id prefix would be in every stored token; there is one tokenization key
        KeysetHandle handle = KeysetHandle.generateNew(AesSivParameters.builder()
                .setKeySizeBytes(64)
                .setVariant(AesSivParameters.Variant.NO_PREFIX)
                .build());
        try (PreparedStatement st =
                db.prepareStatement("INSERT INTO service_keys (name, keyset) VALUES ('tokenization', ?)")) {
            st.setBytes(1, TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, master, TOKEN_KEY_CONTEXT));
            st.executeUpdate();
        }
        return handle.getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The key of each subject, creating (and storing, durably) the missing ones. */
    public synchronized Map<String, Aead> keysFor(Collection<String> ids) {
        Map<String, Aead> out = new HashMap<>(ids.size() * 2);
        List<String> missing = fromCache(ids, out);
        if (missing.isEmpty()) {
            return out;
        }
        out.putAll(load(missing));
        List<String> create =
                missing.stream().filter(id -> !out.containsKey(id)).toList();
        if (!create.isEmpty()) {
            out.putAll(create(create));
        }
        remember(out);
        return out;
    }

    /**
     * The keys that exist for these subjects; a subject without one (never keyed, or shredded) is
     * absent. {@code remember} false keeps a scan over every profile from flushing the cache.
     */
    public synchronized Map<String, Aead> existing(Collection<String> ids, boolean remember) {
        Map<String, Aead> out = new HashMap<>(ids.size() * 2);
        List<String> missing = fromCache(ids, out);
        if (!missing.isEmpty()) {
            Map<String, Aead> loaded = load(missing);
            if (remember) {
                remember(loaded);
            }
            out.putAll(loaded);
        }
        return out;
    }

    /** Puts the cached keys into {@code out}; returns the ids that are not cached. */
    private List<String> fromCache(Collection<String> ids, Map<String, Aead> out) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Aead k = cache.get(id);
            if (k != null) {
                out.put(id, k);
            } else {
                missing.add(id);
            }
        }
        return missing;
    }

    /**
     * What erasure destroys for an identifier: every event key of it when it is a user id or an
     * anonymous id (the subjects raw events are sealed for), else null.
     */
    public String eventKeysOf(String type, String value) {
        return type.equals("user_id") || type.equals("anonymous_id")
                ? SUBJECT_KEYS + tokenizer.token(type, value)
                : null;
    }

    /** The keys raw events are sealed with (see {@link EventKeys}). */
    EventKeys events() {
        return events;
    }

    /** Destroys every event key of these subjects: their events' personal values can no longer be read anywhere. */
    public synchronized void destroySubjects(Collection<String> subjects) {
        events.destroySubjects(subjects);
        try (Statement cp = db.createStatement()) {
            cp.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Destroying event keys failed: " + e.getMessage(), e);
        }
    }

    /** The prefix of a key id that stands for every event key of one subject (see {@link #destroy}). */
    public static final String SUBJECT_KEYS = "s:";

    /**
     * Destroys the keys of these subjects: what they encrypted can no longer be read anywhere. An id
     * {@code s:<subject>} ({@link #SUBJECT_KEYS}) stands for every event key of that subject.
     */
    public synchronized void destroy(Collection<String> ids) {
        List<String> subjects = ids.stream()
                .filter(id -> id.startsWith(SUBJECT_KEYS))
                .map(id -> id.substring(SUBJECT_KEYS.length()))
                .toList();
        if (!subjects.isEmpty()) {
            destroySubjects(subjects);
        }
        try (PreparedStatement st = db.prepareStatement("DELETE FROM subject_keys WHERE id = ?")) {
            for (String id : ids) {
                st.setString(1, id);
                st.addBatch();
                cache.remove(id);
            }
            st.executeBatch();
            try (Statement cp = db.createStatement()) {
                cp.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Destroying keys failed: " + e.getMessage(), e);
        }
    }

    private Map<String, Aead> load(List<String> ids) {
        Map<String, Aead> out = new HashMap<>();
        try {
            for (int from = 0; from < ids.size(); from += 500) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement st =
                        db.prepareStatement("SELECT id, wrapped FROM subject_keys WHERE id IN (" + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        st.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString(1);
                            out.put(
                                    id,
                                    new AesGcmJce(master.decrypt(rs.getBytes(2), id.getBytes(StandardCharsets.UTF_8))));
                        }
                    }
                }
            }
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("Reading keys failed: " + e.getMessage(), e);
        }
        return out;
    }

    private Map<String, Aead> create(List<String> ids) {
        Map<String, Aead> out = new HashMap<>();
        try (PreparedStatement st =
                db.prepareStatement("INSERT INTO subject_keys (id, wrapped, created_at) VALUES (?, ?, ?)")) {
            for (String id : ids) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                st.setString(1, id);
                st.setBytes(2, master.encrypt(key, id.getBytes(StandardCharsets.UTF_8)));
                st.setLong(3, System.currentTimeMillis());
                st.addBatch();
                out.put(id, new AesGcmJce(key));
            }
            db.setAutoCommit(false);
            st.executeBatch();
            db.commit();
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("Storing new keys failed: " + e.getMessage(), e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is broken; the next use reports it
            }
        }
        return out;
    }

    private void remember(Map<String, Aead> keys) {
        cache.putAll(keys);
    }

    /** How many subject keys exist. */
    public synchronized long count() {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM subject_keys")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        events.close();
        synchronized (this) {
            closeFile();
        }
    }

    private void closeFile() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
