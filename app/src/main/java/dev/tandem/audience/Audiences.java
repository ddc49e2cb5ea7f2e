package dev.tandem.audience;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Vocabulary;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The registry of audiences. Readers (the stage, the API) read an immutable snapshot that is
 * replaced on each change, like the sources registry. A new or edited audience is marked
 * {@code computing} from profile 0; a deleted one is marked {@code deleted} and purged by the
 * stage, which alone writes memberships.
 */
public final class Audiences {
    /** The ready status as stored, for Background, which binds it as text. */
    private final Jdbi jdbi;

    private final ObjectMapper mapper;
    private final Expressions expressions;
    private final Clock clock;

    /** The audiences as of the last change; {@code byRead} indexes live ones by what their condition reads. */
    record Snapshot(
            long version,
            List<LiveAudience> live,
            Map<String, List<LiveAudience>> byRead,
            List<LiveAudience> identifierReaders,
            List<Long> deleted) {}

    private volatile Snapshot snapshot;
    /** What the live audiences read of traits, worked out when the snapshot changes. */
    private volatile java.util.function.Predicate<String> traitsRead;

    private Runnable changed = () -> {};

    public Audiences(Jdbi jdbi, ObjectMapper mapper, Expressions expressions, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.expressions = expressions;
        this.clock = clock;
        use(load(0));
    }

    Snapshot snapshot() {
        return snapshot;
    }

    private void use(Snapshot next) {
        traitsRead = Expression.traitsRead(
                next.live().stream().map(LiveAudience::condition).toList());
        snapshot = next;
    }

    /** Whether any audience's condition reads trait {@code name} (or all of {@code traits}). */
    public boolean readsTrait(String name) {
        return traitsRead.test(name);
    }

    /** Changes whenever an audience is added, changed or deleted. */
    public long version() {
        return snapshot.version();
    }

    /** The audiences with their current state, read now. */
    public List<Audience> list() {
        return jdbi.withHandle(this::rows).stream()
                .filter(a -> a.state().status() != Audience.Status.DELETED)
                .toList();
    }

    Optional<LiveAudience> live(String key) {
        return snapshot.live().stream().filter(a -> a.key().equals(key)).findFirst();
    }

    /** The audience with its current state, read now. */
    public Audience byKey(String key) {
        return list().stream()
                .filter(a -> a.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new NotFound(
                        "audience_not_found", "No audience has the key '" + key + "'. GET /v1/audiences lists them."));
    }

    /**
     * Makes the stored workspace audiences match tandem.yaml: adds new ones, updates changed ones
     * (recomputing when the condition changed), and deletes those no longer declared.
     */
    public synchronized void declare(List<AudienceDefinition> declared) {
        Map<String, Audience> stored = new HashMap<>();
        snapshot.live().stream()
                .map(LiveAudience::audience)
                .filter(a -> a.origin() == Audience.Origin.WORKSPACE)
                .forEach(a -> stored.put(a.key(), a));
        jdbi.useTransaction(h -> {
            for (AudienceDefinition d : declared) {
                Audience old = stored.remove(d.key());
                if (old == null) {
                    Optional<Audience> other = live(d.key()).map(LiveAudience::audience);
                    if (other.isPresent()) {
                        throw new IllegalArgumentException(
                                "the audience '" + d.key() + "' was created through the API; "
                                        + "delete it there or give the tandem.yaml one another key.");
                    }
                    insert(h, d, Audience.Origin.WORKSPACE);
                } else if (!old.definition().equals(d)) {
                    update(h, old, d);
                }
            }
            for (Audience gone : stored.values()) {
                markDeleted(h, gone.id());
            }
        });
        reload();
        changed.run();
    }

    public synchronized Audience create(AudienceDefinition d) {
        if (live(d.key()).isPresent() || keyTaken(d.key())) {
            throw new Conflict(
                    "audience_exists",
                    "An audience with the key '" + d.key() + "' exists already; " + "PUT /v1/admin/audiences/" + d.key()
                            + " changes it.",
                    "key");
        }
        jdbi.useHandle(h -> insert(h, d, Audience.Origin.API));
        reload();
        changed.run();
        return byKey(d.key());
    }

    public synchronized Audience update(AudienceDefinition d) {
        Audience old = editable(d.key());
        jdbi.useHandle(h -> update(h, old, d));
        reload();
        changed.run();
        return byKey(d.key());
    }

    public synchronized void delete(String key) {
        Audience old = editable(key);
        jdbi.useHandle(h -> markDeleted(h, old.id()));
        reload();
        changed.run();
    }

    /** Starts the background computation of an audience again, from the first profile. */
    public synchronized Audience recompute(String key) {
        Audience a = byKey(key);
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE audiences SET status = :s, scanned_to = 0, updated_at = :now WHERE id = :id")
                .bind("s", Audience.Status.COMPUTING.wireName())
                .bind("now", clock.millis())
                .bind("id", a.id())
                .execute());
        reload();
        changed.run();
        return byKey(key);
    }

    /** Runs after every change that may leave background work: a new, edited, deleted or recomputed audience. */
    void onChange(Runnable listener) {
        this.changed = listener;
    }

    /** Re-reads the table; the stage calls it after it changed state columns. */
    synchronized void reload() {
        use(load(snapshot.version() + 1));
    }

    private Audience editable(String key) {
        Audience a = byKey(key);
        if (a.origin() == Audience.Origin.WORKSPACE) {
            throw new Conflict(
                    "declared_in_workspace",
                    "The audience '" + key + "' is declared in tandem.yaml; change it there "
                            + "and restart, so the file stays the truth.",
                    "key");
        }
        return a;
    }

    private boolean keyTaken(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audiences WHERE key = :k")
                        .bind("k", key)
                        .mapTo(Long.class)
                        .one())
                > 0;
    }

    private void insert(Handle h, AudienceDefinition d, Audience.Origin origin) {
        long now = clock.millis();
        h.createUpdate(
                        "INSERT INTO audiences (key, name, description, owners, condition, origin, status, scanned_to, size, created_at, updated_at) "
                                + "VALUES (:key, :name, :description, :owners, :condition, :origin, :status, 0, 0, :now, :now)")
                .bind("key", d.key())
                .bind("name", d.name())
                .bind("description", d.description())
                .bind("owners", json(d.owners()))
                .bind("condition", d.condition())
                .bind("origin", origin.wireName())
                .bind("status", Audience.Status.COMPUTING.wireName())
                .bind("now", now)
                .execute();
    }

    private void update(Handle h, Audience old, AudienceDefinition d) {
        boolean recompute = !old.definition().condition().equals(d.condition());
        h.createUpdate(
                        "UPDATE audiences SET name = :name, description = :description, owners = :owners, condition = :condition, "
                                + "updated_at = :now" + (recompute ? ", status = :status, scanned_to = 0" : "")
                                + " WHERE id = :id")
                .bind("name", d.name())
                .bind("description", d.description())
                .bind("owners", json(d.owners()))
                .bind("condition", d.condition())
                .bind("now", clock.millis())
                .bind("status", Audience.Status.COMPUTING.wireName())
                .bind("id", old.id())
                .execute();
    }

    private void markDeleted(Handle h, long id) {
        h.createUpdate("UPDATE audiences SET status = :s, key = :k, updated_at = :now WHERE id = :id")
                .bind("s", Audience.Status.DELETED.wireName())
                .bind("k", "deleted:" + id)
                .bind("now", clock.millis())
                .bind("id", id)
                .execute();
    }

    private Snapshot load(long version) {
        List<LiveAudience> live = new ArrayList<>();
        List<Long> deleted = new ArrayList<>();
        for (Audience a : jdbi.withHandle(this::rows)) {
            if (a.state().status() == Audience.Status.DELETED) {
                deleted.add(a.id());
            } else {
                live.add(carryFailures(a, live.size()));
            }
        }
        Map<String, List<LiveAudience>> byRead = new HashMap<>();
        for (LiveAudience a : live) {
            var reads = a.condition().reads().isEmpty()
                    ? List.of("event_count")
                    : a.condition().reads();
            for (String read : reads) {
                byRead.computeIfAbsent(read, r -> new ArrayList<>()).add(a);
            }
        }
        List<LiveAudience> identifierReaders =
                live.stream().filter(LiveAudience::readsIdentifiers).toList();
        return new Snapshot(version, List.copyOf(live), Map.copyOf(byRead), identifierReaders, List.copyOf(deleted));
    }

    private List<Audience> rows(Handle h) {
        return h.createQuery("SELECT id, key, name, description, owners, condition, origin, status, scanned_to, size, "
                        + "updated_at, computed_at FROM audiences ORDER BY id")
                .map((rs, ctx) -> {
                    AudienceDefinition d = new AudienceDefinition(
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            owners(rs.getString(5)),
                            rs.getString(6));
                    long computedAt = rs.getLong(12);
                    Long computed = rs.wasNull() ? null : computedAt;
                    String origin = rs.getString(7);
                    String status = rs.getString(8);
                    return new Audience(
                            rs.getLong(1),
                            d,
                            stored(Audience.Origin.named(origin), "origin", origin),
                            new Audience.State(
                                    stored(Audience.Status.named(status), "status", status),
                                    rs.getLong(9),
                                    rs.getLong(10),
                                    rs.getLong(11),
                                    computed));
                })
                .list();
    }

    /** A stored origin or status read back; one this version does not know is a bug, so it throws. */
    private static <T> T stored(T value, String column, String text) {
        if (value == null) {
            throw new IllegalStateException("A stored audience has the unknown " + column + " '" + text + "'.");
        }
        return value;
    }

    /** Keeps the failure count of an unchanged condition across reloads. */
    private LiveAudience carryFailures(Audience a, int index) {
        if (snapshot != null) {
            for (LiveAudience old : snapshot.live()) {
                if (old.id() == a.id()
                        && old.condition().source().equals(a.definition().condition())) {
                    return new LiveAudience(a, index, old.condition(), old.failures(), old.lastFailure());
                }
            }
        }
        return new LiveAudience(
                a,
                index,
                expressions.compileSaved(a.definition().condition(), Vocabulary.AUDIENCE, "condition"),
                new java.util.concurrent.atomic.AtomicLong(),
                new java.util.concurrent.atomic.AtomicReference<>());
    }

    private String json(List<String> owners) {
        try {
            return mapper.writeValueAsString(owners);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> owners(String json) {
        try {
            return List.of(mapper.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored audience owners are not JSON: " + json, e);
        }
    }
}
