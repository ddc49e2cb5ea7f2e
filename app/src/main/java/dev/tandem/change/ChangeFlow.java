package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditLog;
import dev.tandem.error.Conflict;
import dev.tandem.error.Forbidden;
import dev.tandem.error.NotFound;
import dev.tandem.error.TandemException;
import dev.tandem.expr.Facts;
import dev.tandem.module.Caller;
import dev.tandem.module.Changeable;
import dev.tandem.module.Changes;
import dev.tandem.people.Person;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change's life: submitted (applied at once when its tier is low, when the admin token makes it
 * and the workspace lets that token apply, or while there is nobody to approve; else pending),
 * amended by its author (approvals reset), approved or rejected by others, withdrawn, expired, and
 * applied once its keys are in, with the conditions of qualified approvals joined into the object.
 * One change at a time: transitions are serialised here and guarded by status in the store.
 */
final class ChangeFlow implements Changes {
    private static final Logger log = LoggerFactory.getLogger(ChangeFlow.class);

    /** How changes are taken: whether the admin token's apply at once, and how long a proposal waits. */
    record Settings(boolean adminTokenApplies, Duration proposalLifetime) {}

    private final ChangeStore store;
    private final ChangeRules rules;
    private final Keys keys;
    private final AuditLog audit;
    private final Clock clock;
    private final Settings settings;
    private final Function<String, Optional<Person>> people;
    private final BooleanSupplier anyone;
    private final java.util.function.Supplier<List<Changeable>> kinds;

    ChangeFlow(
            ChangeStore store,
            ChangeRules rules,
            Keys keys,
            AuditLog audit,
            Clock clock,
            Settings settings,
            Function<String, Optional<Person>> people,
            BooleanSupplier anyone,
            java.util.function.Supplier<List<Changeable>> kinds) {
        this.store = store;
        this.rules = rules;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
        this.people = people;
        this.anyone = anyone;
        this.kinds = kinds;
    }

    /** The kinds declared by the modules, by name. */
    Map<String, Changeable> targets() {
        Map<String, Changeable> byKind = new LinkedHashMap<>();
        kinds.get().forEach(k -> byKind.put(k.kind(), k));
        return byKind;
    }

    Changeable target(String kind) {
        Changeable t = targets().get(kind);
        if (t == null) {
            throw new NotFound(
                    "unknown_kind",
                    "There is no kind of object '" + kind + "' that changes through the API; the kinds are "
                            + targets().keySet() + ".");
        }
        return t;
    }

    Keys keys() {
        return keys;
    }

    ChangeRules rules() {
        return rules;
    }

    @Override
    public synchronized Submitted submit(Changeable target, String key, JsonNode declaration, Context ctx) {
        JsonNode previous = target.live(key).orElse(null);
        if (previous == null && declaration == null) {
            throw new NotFound("unknown_object", "There is no " + target.kind() + " '" + key + "' to remove.");
        }
        JsonNode diff = Diff.of(previous, declaration);
        if (diff.isEmpty()) {
            return Submitted.APPLIED_UNRECORDED;
        }
        store.open(target.kind(), key, "api").ifPresent(open -> {
            throw new Conflict(
                    "change_pending",
                    "Change " + open.id() + " of the " + target.kind() + " '" + key
                            + "' is pending; its author may edit it " + "with PUT /v1/changes/" + open.id()
                            + " or withdraw it, or it may be approved or rejected.",
                    "key");
        });
        Change.Author author = author(ctx);
        String action = previous == null ? "create" : declaration == null ? "delete" : "update";
        Change.Target what = new Change.Target(target.kind(), key, action, "api");
        ChangeRules.Assessed assessed = rules.assess(facts(target, what, author, declaration, previous, diff));
        String how = immediately(assessed.tier(), author);
        long now = clock.millis();
        Change c = new Change(
                0,
                what,
                author,
                new Change.Assessment(assessed.tier(), assessed.rule()),
                how == null ? Status.PENDING : Status.APPLIED,
                declaration,
                previous,
                diff,
                List.of(),
                new Change.Times(now, now, now + settings.proposalLifetime().toMillis()),
                how);
        if (how != null) {
            target.apply(key, declaration);
            Change saved = store.insert(c);
            record(saved, AuditKind.CHANGE_APPLIED, actor(author), Map.of("how", how));
            return new Submitted(saved.id(), true, null);
        }
        Change saved = store.insert(c);
        record(saved, AuditKind.CHANGE_PROPOSED, actor(author), Map.of("needs", keys.missing(saved)));
        return new Submitted(saved.id(), false, null);
    }

    /**
     * What proposing {@code declaration} (null: removing) for {@code key} would be, without
     * proposing it: the action, diff and tier, and who would have to approve it.
     */
    Map<String, Object> plan(Changeable target, String key, JsonNode declaration, Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", target.kind());
        out.put("key", key);
        JsonNode previous = target.live(key).orElse(null);
        JsonNode checked;
        try {
            checked = declaration == null ? null : target.check(key, declaration);
        } catch (TandemException e) {
            out.put("action", "invalid");
            out.put("error", e.getMessage());
            return out;
        }
        JsonNode diff = Diff.of(previous, checked);
        if (diff.isEmpty()) {
            out.put("action", "none");
            return out;
        }
        Change.Author author = author(ctx);
        String action = previous == null ? "create" : checked == null ? "delete" : "update";
        Change.Target what = new Change.Target(target.kind(), key, action, "api");
        ChangeRules.Assessed assessed = rules.assess(facts(target, what, author, checked, previous, diff));
        out.put("action", action);
        out.put("diff", diff);
        out.put("tier", assessed.tier().wireName());
        out.put("tierRule", assessed.rule());
        String how = immediately(assessed.tier(), author);
        Change probe = new Change(
                0,
                what,
                author,
                new Change.Assessment(assessed.tier(), assessed.rule()),
                Status.PENDING,
                checked,
                previous,
                diff,
                List.of(),
                new Change.Times(0, 0, 0),
                null);
        out.put("needs", how == null ? keys.missing(probe) : List.of());
        out.put("appliesAtOnce", how != null);
        return out;
    }

    /** A proposal from tandem.yaml found at start: pending (or applied at once by its tier), never applied here. */
    synchronized Change fromFile(
            Function<JsonNode, Map<String, Object>> facts,
            String kind,
            String key,
            JsonNode declaration,
            JsonNode previous) {
        JsonNode diff = Diff.of(previous, declaration);
        String action = previous == null ? "create" : declaration == null ? "delete" : "update";
        Change.Target what = new Change.Target(kind, key, action, "file");
        Change.Author author = new Change.Author("file:tandem.yaml", null, null);
        Map<String, Object> vars = variables(what, author, declaration, previous, diff);
        vars.putAll(facts.apply(declaration != null ? declaration : previous));
        ChangeRules.Assessed assessed = rules.assess(vars);
        String how = immediately(assessed.tier(), author);
        long now = clock.millis();
        Change saved = store.insert(new Change(
                0,
                what,
                author,
                new Change.Assessment(assessed.tier(), assessed.rule()),
                how == null ? Status.PENDING : Status.APPLIED,
                declaration,
                previous,
                diff,
                List.of(),
                new Change.Times(now, now, now + settings.proposalLifetime().toMillis()),
                how == null ? "Edited in tandem.yaml; the version before it stays live until this is approved." : how));
        if (how != null) {
            record(saved, AuditKind.CHANGE_APPLIED, author.caller(), Map.of("how", how));
        } else {
            record(saved, AuditKind.CHANGE_PROPOSED, author.caller(), Map.of("needs", keys.missing(saved)));
        }
        return saved;
    }

    /** The first start: the workspace as tandem.yaml declares it, recorded as one applied change. */
    synchronized Change firstStart(JsonNode workspace) {
        long now = clock.millis();
        Change c = store.insert(
                new Change(
                        0,
                        new Change.Target("workspace", "tandem.yaml", "create", "file"),
                        new Change.Author("file:tandem.yaml", null, null),
                        new Change.Assessment(Tier.LOW, "first-start"),
                        Status.APPLIED,
                        workspace,
                        null,
                        JsonNodeFactory.instance.arrayNode(),
                        List.of(),
                        new Change.Times(now, now, now),
                        "The first start: the workspace as tandem.yaml declares it. From now on, what the file changes is a change like any other."));
        // no audit entry: the tandem.started entry that follows records the start and what the workspace declares
        return c;
    }

    /** A file change approved earlier has been read from tandem.yaml at this start: it is live now. */
    void appliedAtStart(Change c) {
        if (store.move(
                c.id(), Status.APPROVED, Status.APPLIED, "Applied at start, from tandem.yaml.", clock.millis())) {
            record(c, AuditKind.CHANGE_APPLIED, "system", Map.of("how", "read from tandem.yaml at start"));
        }
    }

    /** A pending file change whose edit was edited again, or taken back, before approval. */
    void replaced(Change c, String why) {
        if (store.move(c.id(), c.status(), Status.REPLACED, why, clock.millis())) {
            record(c, AuditKind.CHANGE_WITHDRAWN, "file:tandem.yaml", Map.of("why", why));
        }
    }

    synchronized Change amend(long id, JsonNode declaration, Context ctx) {
        Change c = pending(id);
        Change.Author author = author(ctx);
        if (c.target().origin().equals("file")) {
            throw new Conflict(
                    "file_change",
                    "Change " + id + " comes from tandem.yaml; edit the file and restart to change it.",
                    null);
        }
        if (!mine(c, author)) {
            throw new Forbidden(
                    "not_author",
                    "Only the author of change " + id + " (" + c.author().caller() + ") may edit it.");
        }
        Changeable target = target(c.target().kind());
        JsonNode checked = declaration == null ? null : target.check(c.target().key(), declaration);
        JsonNode diff = Diff.of(c.previous(), checked);
        ChangeRules.Assessed assessed =
                rules.assess(facts(target, c.target(), c.author(), checked, c.previous(), diff));
        Change amended = new Change(
                c.id(),
                c.target(),
                c.author(),
                new Change.Assessment(assessed.tier(), assessed.rule()),
                c.status(),
                checked,
                c.previous(),
                diff,
                List.of(),
                new Change.Times(
                        c.times().createdAt(), clock.millis(), c.times().expiresAt()),
                c.note());
        store.amend(amended);
        Change now = store.find(id).orElseThrow();
        record(
                now,
                AuditKind.CHANGE_AMENDED,
                author.caller(),
                Map.of("approvalsReset", c.verdicts().size()));
        return now;
    }

    synchronized Change approve(long id, JsonNode conditions, String comment, Context ctx) {
        Change c = pending(id);
        Person p = judge(c, ctx);
        Changeable target = target(c.target().kind());
        JsonNode checked = Conditions.check(conditions, target.conditions(), target.kind(), clock.instant());
        store.verdict(
                id,
                new Change.Verdict(
                        p.name(), keys.side(p), p.role().wireName(), true, checked, comment, clock.millis()));
        Map<String, Object> detail = new LinkedHashMap<>();
        if (checked != null) {
            detail.put("conditions", checked);
        }
        Change now = store.find(id).orElseThrow();
        detail.put("needs", keys.missing(now));
        record(now, AuditKind.CHANGE_APPROVED, p.caller(), detail);
        if (keys.missing(now).isEmpty()) {
            return complete(now, target);
        }
        return now;
    }

    synchronized Change reject(long id, String comment, Context ctx) {
        Change c = pending(id);
        Person p = judge(c, ctx);
        store.verdict(
                id,
                new Change.Verdict(p.name(), keys.side(p), p.role().wireName(), false, null, comment, clock.millis()));
        store.move(
                id,
                Status.PENDING,
                Status.REJECTED,
                "Rejected by " + p.name() + (comment == null ? "." : ": " + comment),
                clock.millis());
        Change now = store.find(id).orElseThrow();
        record(now, AuditKind.CHANGE_REJECTED, p.caller(), Map.of());
        return now;
    }

    synchronized Change withdraw(long id, Context ctx) {
        Change c = pending(id);
        Change.Author author = author(ctx);
        if (!mine(c, author) && !author.caller().equals("admin")) {
            throw new Forbidden(
                    "not_author",
                    "Only the author of change " + id + " (" + c.author().caller() + ") may withdraw it.");
        }
        store.move(id, Status.PENDING, Status.WITHDRAWN, "Withdrawn by " + author.caller() + ".", clock.millis());
        Change now = store.find(id).orElseThrow();
        record(now, AuditKind.CHANGE_WITHDRAWN, actor(author), Map.of());
        return now;
    }

    /** Pending changes past their lifetime become expired; returns how many. */
    synchronized int expire() {
        int n = 0;
        for (long id : store.expired(clock.millis(), 1_000)) {
            if (store.move(
                    id,
                    Status.PENDING,
                    Status.EXPIRED,
                    "Nobody approved it within its lifetime; propose it again.",
                    clock.millis())) {
                store.find(id).ifPresent(c -> record(c, AuditKind.CHANGE_EXPIRED, "system", Map.of()));
                n++;
            }
        }
        return n;
    }

    private Change complete(Change c, Changeable target) {
        List<JsonNode> conditions = new ArrayList<>();
        c.verdicts().stream()
                .filter(v -> v.approves() && v.conditions() != null)
                .forEach(v -> conditions.add(v.conditions()));
        if (c.target().origin().equals("file")) {
            store.move(
                    c.id(),
                    Status.PENDING,
                    Status.APPROVED,
                    "Approved; live at the next start, when tandem.yaml is read.",
                    clock.millis());
            return store.find(c.id()).orElseThrow();
        }
        String key = c.target().key();
        JsonNode live = target.live(key).orElse(null);
        if (!same(live, c.previous())) {
            return failed(
                    c,
                    "The " + c.target().kind() + " '" + key + "' changed since this was proposed; propose it again.");
        }
        try {
            JsonNode declaration = Conditions.applied(c.declaration(), conditions);
            if (declaration != null && !conditions.isEmpty()) {
                declaration = target.check(key, declaration);
            }
            target.apply(key, declaration);
        } catch (TandemException e) {
            return failed(c, e.getMessage());
        }
        store.move(c.id(), Status.PENDING, Status.APPLIED, "Approved and applied.", clock.millis());
        Change done = store.find(c.id()).orElseThrow();
        record(done, AuditKind.CHANGE_APPLIED, "system", Map.of("how", "approved"));
        return done;
    }

    private Change failed(Change c, String why) {
        store.move(c.id(), Status.PENDING, Status.FAILED, why, clock.millis());
        Change done = store.find(c.id()).orElseThrow();
        record(done, AuditKind.CHANGE_FAILED, "system", Map.of("why", why));
        return done;
    }

    /** Why a change applies at once, in words; null when it waits for approvals. */
    private String immediately(Tier tier, Change.Author author) {
        if (tier == Tier.LOW) {
            return "Low tier: applied at once.";
        }
        if (author.caller().equals("admin") && settings.adminTokenApplies()) {
            return "Made with the admin token, which applies changes at once (server setting adminTokenApplies).";
        }
        if (!anyone.getAsBoolean()) {
            return "Applied at once: the workspace has no people yet, so nobody could approve it.";
        }
        return null;
    }

    private Change pending(long id) {
        Change c = store.find(id)
                .orElseThrow(
                        () -> new NotFound("unknown_change", "There is no change " + id + "; see GET /v1/changes."));
        if (c.status() != Status.PENDING) {
            throw new Conflict(
                    "not_pending",
                    "Change " + id + " is " + c.status().wireName() + "; only pending changes move on.",
                    null);
        }
        return c;
    }

    private Person judge(Change c, Context ctx) {
        String name = Caller.person(ctx);
        Person p = name == null ? null : people.apply(name).orElse(null);
        if (p == null) {
            throw new Forbidden(
                    "person_required",
                    "Approvals are given by people: sign in (POST /v1/session) or use a token of your own, not the admin token.");
        }
        keys.mayJudge(c, p);
        return p;
    }

    private Change.Author author(Context ctx) {
        String name = Caller.person(ctx);
        Person p = name == null ? null : people.apply(name).orElse(null);
        return new Change.Author(Caller.of(ctx), p == null ? null : p.name(), p == null ? null : keys.side(p));
    }

    /** How the audit trail names the author: the person behind a token, else the caller. */
    private static String actor(Change.Author author) {
        return author.person() != null ? "person:" + author.person() : author.caller();
    }

    private static boolean mine(Change c, Change.Author who) {
        return c.author().person() != null
                ? c.author().person().equals(who.person())
                : c.author().caller().equals(who.caller());
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }

    private Map<String, Object> facts(
            Changeable target,
            Change.Target what,
            Change.Author author,
            JsonNode declaration,
            JsonNode previous,
            JsonNode diff) {
        Map<String, Object> vars = variables(what, author, declaration, previous, diff);
        vars.putAll(target.facts(declaration != null ? declaration : previous));
        return vars;
    }

    private static Map<String, Object> variables(
            Change.Target what, Change.Author author, JsonNode declaration, JsonNode previous, JsonNode diff) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("kind", what.kind());
        vars.put("key", what.key());
        vars.put("action", what.action());
        vars.put("origin", what.origin());
        vars.put("fields", Diff.paths(diff));
        vars.put("object", Facts.json(declaration == null ? JsonNodeFactory.instance.objectNode() : declaration));
        vars.put("previous", Facts.json(previous == null ? JsonNodeFactory.instance.objectNode() : previous));
        Map<String, Object> who = new HashMap<>();
        who.put("caller", author.caller());
        who.put("person", author.person() == null ? "" : author.person());
        who.put("side", author.side() == null ? "" : author.side());
        vars.put("author", who);
        return vars;
    }

    private void record(Change c, AuditKind kind, String actor, Map<String, ?> extra) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kind", c.target().kind());
        detail.put("key", c.target().key());
        detail.put("action", c.target().action());
        detail.put("tier", c.assessment().tier().wireName());
        detail.put("status", c.status().wireName());
        detail.putAll(extra);
        try {
            audit.append(actor, kind, "change:" + c.id(), detail);
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("change", c.id()).log("could not append a change to the audit log");
        }
    }
}
