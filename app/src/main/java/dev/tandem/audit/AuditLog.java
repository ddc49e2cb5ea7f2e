package dev.tandem.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The append-only audit log. An entry is durable when {@link #append} returns; concurrent appends
 * share a commit. Ids are given here (the last id plus
 * one), not by the database: a second process appending to the same PostgreSQL database makes the
 * insert fail on the primary key, and the append reloads the head and tries again, so the chain
 * never forks.
 */
public final class AuditLog {
    /** Actors and objects are names (a token's name, a request id), never free text: this is plenty. */
    static final int MAX_NAME = 200;

    private static final int RACES = 5;

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ChainHash chain;
    private final List<Pending> waiting = new ArrayList<>();
    private final List<java.util.function.Consumer<AuditEntry>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Object writer = new Object();
    /** The last entry written; read and written under {@link #writer}. */
    private long headId;

    private String headHash;

    public AuditLog(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
        this.chain = new ChainHash();
        loadHead();
    }

    /** A filter of {@link #page}; nulls match everything. */
    public record Filter(String actor, String object, String kind, Long since, Long until) {
        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /**
     * Records that {@code actor} did {@code kind} to {@code object}; {@code detail} holds names,
     * counts and ids only, never a person's values. Returns once the entry is committed.
     */
    public AuditEntry append(String actor, AuditKind kind, String object, Map<String, ?> detail) {
        Pending mine = new Pending(
                name(actor, "actor"),
                kind.wireName(),
                name(object, "object"),
                Canonical.json(mapper, mapper.valueToTree(detail)));
        synchronized (waiting) {
            waiting.add(mine);
        }
        // Group commit: whoever holds the writer's lock writes every entry waiting by then in one
        // transaction, so concurrent appenders share a commit (one fsync) instead of queueing for one each.
        synchronized (writer) {
            if (mine.entry == null && mine.failure == null) {
                List<Pending> group;
                synchronized (waiting) {
                    group = new ArrayList<>(waiting);
                    waiting.clear();
                }
                write(group);
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.entry;
    }

    /** An entry waiting for its group's commit; written by the thread that commits the group. */
    private static final class Pending {
        final String actor;
        final String kind;
        final String object;
        final String detail;
        AuditEntry entry;
        RuntimeException failure;

        Pending(String actor, String kind, String object, String detail) {
            this.actor = actor;
            this.kind = kind;
            this.object = object;
            this.detail = detail;
        }
    }

    private void write(List<Pending> group) {
        for (int race = 0; ; race++) {
            List<AuditEntry> entries = new ArrayList<>(group.size());
            long id = headId;
            String hash = headHash;
            long at = clock.millis();
            for (Pending p : group) {
                id++;
                hash = chain.of(hash, id, at, p.actor, p.kind, p.object, p.detail);
                entries.add(new AuditEntry(id, at, p.actor, p.kind, p.object, p.detail, hash));
            }
            try {
                jdbi.useTransaction(h -> {
                    PreparedBatch batch = h.prepareBatch("INSERT INTO audit_log (id, at, actor, kind, object, detail, "
                            + "hash) VALUES (:id, :at, :actor, :kind, :object, :detail, :hash)");
                    entries.forEach(e -> batch.bindMethods(e).add());
                    batch.execute();
                });
                AuditEntry last = entries.getLast();
                headId = last.id();
                headHash = last.hash();
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).entry = entries.get(i);
                }
                tell(entries);
                return;
            } catch (RuntimeException e) {
                long before = headId;
                loadHead();
                if (headId == before || race >= RACES) {
                    group.forEach(p -> p.failure = e);
                    return;
                }
            }
        }
    }

    /** Tells the listeners of committed entries; a listener's failure is logged and costs nothing else. */
    private void tell(List<AuditEntry> entries) {
        for (AuditEntry e : entries) {
            for (java.util.function.Consumer<AuditEntry> l : listeners) {
                try {
                    l.accept(e);
                } catch (RuntimeException ex) {
                    org.slf4j.LoggerFactory.getLogger(AuditLog.class)
                            .atWarn()
                            .setCause(ex)
                            .addKeyValue("entry", e.id())
                            .log("a listener of the audit log failed; the entry is committed");
                }
            }
        }
    }

    /** Told of every entry once it is committed, on the appending thread: keep it short (the feed schedules a job). */
    public void onAppend(java.util.function.Consumer<AuditEntry> listener) {
        listeners.add(listener);
    }

    /** The newest {@code limit} entries before {@code before} (an id; 0 for the newest), newest first. */
    public List<AuditEntry> recent(long before, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, at, actor, kind, object, detail, hash FROM audit_log "
                        + "WHERE (:before = 0 OR id < :before) ORDER BY id DESC LIMIT :limit")
                .bind("before", before)
                .bind("limit", limit)
                .map(AuditLog::entry)
                .list());
    }

    /** Entries after {@code after} (an id; 0 for the first) matching {@code filter}, oldest first, at most {@code limit}. */
    public List<AuditEntry> page(Filter filter, long after, int limit) {
        StringBuilder sql =
                new StringBuilder("SELECT id, at, actor, kind, object, detail, hash FROM audit_log WHERE id > :after");
        List<String[]> binds = new ArrayList<>();
        if (filter.actor() != null) {
            sql.append(" AND actor = :actor");
            binds.add(new String[] {"actor", filter.actor()});
        }
        if (filter.object() != null) {
            sql.append(" AND object = :object");
            binds.add(new String[] {"object", filter.object()});
        }
        if (filter.kind() != null) {
            sql.append(" AND kind = :kind");
            binds.add(new String[] {"kind", filter.kind()});
        }
        if (filter.since() != null) {
            sql.append(" AND at >= :since");
        }
        if (filter.until() != null) {
            sql.append(" AND at < :until");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("after", after).bind("limit", limit);
            binds.forEach(b -> q.bind(b[0], b[1]));
            if (filter.since() != null) {
                q.bind("since", filter.since());
            }
            if (filter.until() != null) {
                q.bind("until", filter.until());
            }
            return q.map(AuditLog::entry).list();
        });
    }

    /** The number of entries and the last one's hash, as appended by this process or found at start. */
    public Head head() {
        synchronized (writer) {
            return new Head(headId, headHash);
        }
    }

    /** Where the chain ends: {@code size} entries, the last one's {@code hash} (the genesis hash when empty). */
    public record Head(long size, String hash) {}

    /** The stored entry {@code id}, if there is one. */
    public Optional<AuditEntry> entry(long id) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT id, at, actor, kind, object, detail, hash FROM audit_log WHERE id = :id")
                        .bind("id", id)
                        .map(AuditLog::entry)
                        .findOne());
    }

    static AuditEntry entry(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new AuditEntry(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7));
    }

    private void loadHead() {
        Optional<AuditEntry> last = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, at, actor, kind, object, detail, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .map(AuditLog::entry)
                .findOne());
        headId = last.map(AuditEntry::id).orElse(0L);
        headHash = last.map(AuditEntry::hash).orElse(ChainHash.GENESIS);
    }

    private static String name(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("an audit entry needs its " + what);
        }
        return value.length() <= MAX_NAME ? value : value.substring(0, MAX_NAME);
    }
}
