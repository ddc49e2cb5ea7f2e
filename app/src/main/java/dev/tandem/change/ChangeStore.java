package dev.tandem.change;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The tables of changes (V20; facts V28): {@code changes}, {@code change_approvals}, {@code workspace_applied}. */
final class ChangeStore {
    private static final String COLUMNS = "id, kind, object_key, action, origin, author, author_person, author_side, "
            + "tier, tier_rule, status, declaration, previous, diff, note, created_at, updated_at, expires_at, facts";

    private final Jdbi jdbi;
    private final ObjectMapper mapper;

    ChangeStore(Jdbi jdbi, ObjectMapper mapper) {
        this.jdbi = jdbi;
        this.mapper = mapper;
    }

    /** Saves a new change under the next id; returns it with its id. */
    synchronized Change insert(Change c) {
        // one statement, writing first: a read before the write would make SQLite refuse the upgrade (BUSY)
        long id = jdbi.withHandle(h -> h.createQuery(
                        "INSERT INTO changes (" + COLUMNS + ") SELECT COALESCE(MAX(id), 0) + 1, "
                                + ":kind, :key, :action, :origin, :author, :person, :side, :tier, :rule, :status, :declaration, "
                                + ":previous, :diff, :note, :created, :updated, :expires, :facts FROM changes RETURNING id")
                .bind("kind", c.target().kind())
                .bind("key", c.target().key())
                .bind("action", c.target().action())
                .bind("origin", c.target().origin())
                .bind("author", c.author().caller())
                .bind("person", c.author().person())
                .bind("side", c.author().side())
                .bind("tier", c.assessment().tier().wireName())
                .bind("rule", c.assessment().rule())
                .bind("status", c.status().wireName())
                .bind("declaration", text(c.declaration()))
                .bind("previous", text(c.previous()))
                .bind("diff", text(c.diff()))
                .bind("note", c.note())
                .bind("created", c.times().createdAt())
                .bind("updated", c.times().updatedAt())
                .bind("expires", c.times().expiresAt())
                .bind("facts", text(c.assessment().facts()))
                .mapTo(Long.class)
                .one());
        return find(id).orElseThrow();
    }

    /** A proposal edited by its author: new declaration, diff and tier; every verdict given on it is gone. */
    void amend(Change c) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE changes SET declaration = :d, diff = :diff, tier = :tier, tier_rule = :rule, "
                            + "facts = :facts, updated_at = :at WHERE id = :id")
                    .bind("d", text(c.declaration()))
                    .bind("diff", text(c.diff()))
                    .bind("tier", c.assessment().tier().wireName())
                    .bind("rule", c.assessment().rule())
                    .bind("facts", text(c.assessment().facts()))
                    .bind("at", c.times().updatedAt())
                    .bind("id", c.id())
                    .execute();
            h.createUpdate("DELETE FROM change_approvals WHERE change_id = :id")
                    .bind("id", c.id())
                    .execute();
        });
    }

    /** Moves a change on, only from {@code from}: false when another request moved it first. */
    boolean move(long id, Status from, Status to, String note, long at) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE changes SET status = :to, note = :note, updated_at = :at WHERE id = :id AND status = :from")
                        .bind("to", to.wireName())
                        .bind("note", note)
                        .bind("at", at)
                        .bind("id", id)
                        .bind("from", from.wireName())
                        .execute())
                == 1;
    }

    void verdict(long id, Change.Verdict v) {
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM change_approvals WHERE change_id = :id AND person = :p")
                    .bind("id", id)
                    .bind("p", v.person())
                    .execute();
            h.createUpdate(
                            "INSERT INTO change_approvals (change_id, person, side, role, verdict, conditions, comment, at) "
                                    + "VALUES (:id, :p, :side, :role, :verdict, :conditions, :comment, :at)")
                    .bind("id", id)
                    .bind("p", v.person())
                    .bind("side", v.side())
                    .bind("role", v.role())
                    .bind("verdict", v.approves() ? "approve" : "reject")
                    .bind("conditions", text(v.conditions()))
                    .bind("comment", v.comment())
                    .bind("at", v.at())
                    .execute();
        });
    }

    Optional<Change> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** Changes by status (null: any), oldest first, after id {@code after}. */
    List<Change> page(Status status, String kind, long after, int limit) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM changes WHERE id > :after"
                            + (status == null ? "" : " AND status = :status")
                            + (kind == null ? "" : " AND kind = :kind")
                            + " ORDER BY id LIMIT :limit")
                    .bind("after", after)
                    .bind("limit", limit);
            if (status != null) {
                q.bind("status", status.wireName());
            }
            if (kind != null) {
                q.bind("kind", kind);
            }
            List<Change> rows = q.map((rs, ctx) -> row(rs, List.of())).list();
            return withVerdicts(h, rows);
        });
    }

    /** The open change of an object from {@code origin}, if any (pending, or approved and waiting for a start). */
    Optional<Change> open(String kind, String key, String origin) {
        return jdbi.withHandle(h -> withVerdicts(
                        h,
                        h.createQuery("SELECT " + COLUMNS + " FROM changes WHERE kind = :kind AND object_key = :key "
                                        + "AND origin = :origin AND status IN ('pending', 'approved') ORDER BY id DESC")
                                .bind("kind", kind)
                                .bind("key", key)
                                .bind("origin", origin)
                                .map((rs, ctx) -> row(rs, List.of()))
                                .list())
                .stream()
                .findFirst());
    }

    /** Pending changes whose proposal lifetime ended before {@code now}. */
    List<Long> expired(long now, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM changes WHERE status = 'pending' AND expires_at < :now ORDER BY id LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .mapTo(Long.class)
                .list());
    }

    /** What tandem.yaml declared as last applied, by kind and key. */
    Map<String, Map<String, JsonNode>> applied() {
        Map<String, Map<String, JsonNode>> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT kind, object_key, declaration FROM workspace_applied ORDER BY kind, object_key")
                .map((rs, ctx) -> {
                    out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), json(rs.getString(3)));
                    return null;
                })
                .list());
        return out;
    }

    boolean anyApplied() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM workspace_applied")
                        .mapTo(Long.class)
                        .one())
                > 0;
    }

    void putApplied(String kind, String key, JsonNode declaration, long changeId, long at) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM workspace_applied WHERE kind = :kind AND object_key = :key")
                    .bind("kind", kind)
                    .bind("key", key)
                    .execute();
            if (declaration != null) {
                h.createUpdate("INSERT INTO workspace_applied (kind, object_key, declaration, change_id, applied_at) "
                                + "VALUES (:kind, :key, :d, :change, :at)")
                        .bind("kind", kind)
                        .bind("key", key)
                        .bind("d", text(declaration))
                        .bind("change", changeId)
                        .bind("at", at)
                        .execute();
            }
        });
    }

    private Optional<Change> find(Handle h, long id) {
        List<Change> rows = h.createQuery("SELECT " + COLUMNS + " FROM changes WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs, List.of()))
                .list();
        return withVerdicts(h, rows).stream().findFirst();
    }

    private List<Change> withVerdicts(Handle h, List<Change> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, List<Change.Verdict>> byChange = new HashMap<>();
        h.createQuery("SELECT change_id, person, side, role, verdict, conditions, comment, at FROM change_approvals "
                        + "WHERE change_id IN (<ids>) ORDER BY at, person")
                .bindList("ids", rows.stream().map(Change::id).toList())
                .map((rs, ctx) -> byChange.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Change.Verdict(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5).equals("approve"),
                                json(rs.getString(6)),
                                rs.getString(7),
                                rs.getLong(8))))
                .list();
        List<Change> out = new ArrayList<>(rows.size());
        for (Change c : rows) {
            out.add(new Change(
                    c.id(),
                    c.target(),
                    c.author(),
                    c.assessment(),
                    c.status(),
                    c.declaration(),
                    c.previous(),
                    c.diff(),
                    List.copyOf(byChange.getOrDefault(c.id(), List.of())),
                    c.times(),
                    c.note()));
        }
        return out;
    }

    private Change row(ResultSet rs, List<Change.Verdict> verdicts) throws SQLException {
        return new Change(
                rs.getLong("id"),
                new Change.Target(
                        rs.getString("kind"),
                        rs.getString("object_key"),
                        rs.getString("action"),
                        rs.getString("origin")),
                new Change.Author(rs.getString("author"), rs.getString("author_person"), rs.getString("author_side")),
                new Change.Assessment(
                        Tier.named(rs.getString("tier")).orElseThrow(),
                        rs.getString("tier_rule"),
                        json(rs.getString("facts"))),
                Status.named(rs.getString("status")).orElseThrow(),
                json(rs.getString("declaration")),
                json(rs.getString("previous")),
                json(rs.getString("diff")),
                verdicts,
                new Change.Times(rs.getLong("created_at"), rs.getLong("updated_at"), rs.getLong("expires_at")),
                rs.getString("note"));
    }

    private String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored change is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
