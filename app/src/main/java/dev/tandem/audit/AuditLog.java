package dev.tandem.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The append-only audit log. Appends are serialised by this object and each is one small committed
 * insert, so an entry is durable when {@link #append} returns. Ids are given here (the last id plus
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
    private long headId;
    private String headHash;

    public AuditLog(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
        this.chain = new ChainHash(mapper);
        loadHead();
    }

    /** A filter of {@link #page}; nulls match everything. */
    public record Filter(String actor, String object, String kind, Long since, Long until) {
        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /**
     * Records that {@code actor} did {@code kind} to {@code object}; {@code detail} holds names,
     * counts and ids only, never a person's values.
     */
    public synchronized AuditEntry append(String actor, AuditKind kind, String object, Map<String, ?> detail) {
        String who = name(actor, "actor");
        String what = name(object, "object");
        String text = Canonical.json(mapper, mapper.valueToTree(detail));
        for (int race = 0; ; race++) {
            long id = headId + 1;
            long at = clock.millis();
            String hash = chain.of(headHash, id, at, who, kind.wireName(), what, text);
            try {
                jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_log (id, at, actor, kind, object, detail, hash) "
                                + "VALUES (:id, :at, :actor, :kind, :object, :detail, :hash)")
                        .bind("id", id)
                        .bind("at", at)
                        .bind("actor", who)
                        .bind("kind", kind.wireName())
                        .bind("object", what)
                        .bind("detail", text)
                        .bind("hash", hash)
                        .execute());
                headId = id;
                headHash = hash;
                return new AuditEntry(id, at, who, kind.wireName(), what, text, hash);
            } catch (UnableToExecuteStatementException e) {
                long before = headId;
                loadHead();
                if (headId == before || race >= RACES) {
                    throw e;
                }
            }
        }
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
    public synchronized Head head() {
        return new Head(headId, headHash);
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
