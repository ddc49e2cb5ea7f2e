package dev.tandem.collect;

import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The registry of sources. Lookups by write key happen on every tracking call, so they read an
 * immutable map that is replaced on each change: no lock, no query on the hot path.
 */
public final class Sources {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final Clock clock;
    /** The sources as of the last change, by name and by write key; this class alone writes the table. */
    private record Snapshot(List<Source> all, Map<String, Source> byWriteKey) {}

    private volatile Snapshot snapshot;

    public Sources(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        reload();
    }

    /** The source a write key belongs to. */
    public Optional<Source> byWriteKey(String writeKey) {
        return Optional.ofNullable(snapshot.byWriteKey().get(writeKey));
    }

    public Optional<Source> byName(String name) {
        return snapshot.all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<Source> byId(String id) {
        return snapshot.all().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Every source, by name. */
    public List<Source> list() {
        return snapshot.all();
    }

    /** Creates a source; fails when the name or the write key is taken or malformed. */
    public synchronized Source create(SourceDeclaration declaration) {
        Source source = validated(declaration);
        if (byName(source.name()).isPresent()) {
            throw new Conflict(
                    "source_exists",
                    "A source named '" + source.name() + "' exists already; pick another name.",
                    "name");
        }
        if (snapshot.byWriteKey().containsKey(source.writeKey())) {
            throw new Conflict(
                    "write_key_taken",
                    "That write key belongs to another source; omit it to have one generated.",
                    "writeKey");
        }
        insert(source);
        reload();
        return source;
    }

    /**
     * Makes the declared sources exist, as {@code tandem.yaml} says at start-up: a missing one is
     * created, an existing one gets the declared write key when one is given.
     */
    public synchronized void declare(List<SourceDeclaration> declarations) {
        for (SourceDeclaration declaration : declarations) {
            Optional<Source> existing = byName(declaration.name());
            if (existing.isEmpty()) {
                Source source = validated(declaration);
                Source owner = snapshot.byWriteKey().get(source.writeKey());
                if (owner != null) {
                    throw new Conflict(
                            "write_key_taken",
                            "Source '" + declaration.name() + "' declares the write key of source '" + owner.name()
                                    + "'; give each source its own key.",
                            "writeKey");
                }
                insert(source);
            } else if (declaration.writeKey() != null
                    && !declaration.writeKey().equals(existing.get().writeKey())) {
                validated(declaration);
                jdbi.useHandle(h -> h.createUpdate("UPDATE sources SET write_key = ? WHERE id = ?")
                        .bind(0, declaration.writeKey())
                        .bind(1, existing.get().id())
                        .execute());
            }
            reload();
        }
    }

    private Source validated(SourceDeclaration declaration) {
        String name = declaration.name();
        if (!SourceDeclaration.validName(name)) {
            throw new BadRequest(
                    "invalid_source_name",
                    "Bad source name '" + name + "': " + SourceDeclaration.NAME_RULE + ".",
                    "name");
        }
        String writeKey = declaration.writeKey() == null ? newWriteKey() : declaration.writeKey();
        if (!SourceDeclaration.validWriteKey(writeKey)) {
            throw new BadRequest(
                    "invalid_write_key",
                    "Bad write key: " + SourceDeclaration.WRITE_KEY_RULE + "; omit it to have one generated.",
                    "writeKey");
        }
        return new Source(UUID.randomUUID().toString(), name, writeKey, clock.instant());
    }

    private void insert(Source source) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sources (id, name, write_key, created_at) VALUES (?, ?, ?, ?)")
                .bind(0, source.id())
                .bind(1, source.name())
                .bind(2, source.writeKey())
                .bind(3, source.createdAt().toEpochMilli())
                .execute());
    }

    private void reload() {
        List<Source> loaded =
                jdbi.withHandle(h -> h.createQuery("SELECT id, name, write_key, created_at FROM sources ORDER BY name")
                        .map((rs, ctx) -> new Source(
                                rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))))
                        .list());
        Map<String, Source> map = new HashMap<>();
        for (Source source : loaded) {
            map.put(source.writeKey(), source);
        }
        snapshot = new Snapshot(List.copyOf(loaded), Map.copyOf(map));
    }

    private static String newWriteKey() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "wk_" + HexFormat.of().formatHex(bytes);
    }
}
