package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.audit.AuditKind;
import dev.tandem.error.Conflict;
import dev.tandem.error.Forbidden;
import dev.tandem.error.NotFound;
import dev.tandem.error.TandemException;
import dev.tandem.module.Caller;
import dev.tandem.module.Changeable;
import dev.tandem.module.Changes;
import dev.tandem.people.Person;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A change's life: submitted (applied at once when its tier is low, when the admin token makes it
 * and the workspace lets that token apply, or while there is nobody to approve; else pending),
 * amended by its author (approvals reset), approved or rejected by others, withdrawn, expired, and
 * applied once its keys are in, with the conditions of qualified approvals joined into the object.
 * One change at a time: transitions are serialised here and guarded by status in the store.
 */
final class ChangeFlow implements Changes {
    private final ChangeStore store;
    private final Assessor assessor;
    private final Keys keys;
    private final ChangeAudit audit;
    private final Clock clock;
    private final Duration lifetime;
    private final Function<String, Optional<Person>> people;
    private final java.util.function.Supplier<List<Changeable>> kinds;

    /** @param lifetime how long a proposal may wait for approvals */
    ChangeFlow(
            ChangeStore store,
            Assessor assessor,
            Keys keys,
            ChangeAudit audit,
            Clock clock,
            Duration lifetime,
            Function<String, Optional<Person>> people,
            java.util.function.Supplier<List<Changeable>> kinds) {
        this.store = store;
        this.assessor = assessor;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.lifetime = lifetime;
        this.people = people;
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
        return assessor.rules();
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
        Map<String, Object> facts = target.facts(declaration != null ? declaration : previous);
        ChangeRules.Assessed assessed = assessor.assess(what, author, declaration, previous, diff, facts);
        String how = assessor.immediately(assessed.tier(), author);
        long now = clock.millis();
        Change c = new Change(
                0,
                what,
                author,
                new Change.Assessment(assessed.tier(), assessed.rule(), Assessor.kept(facts)),
                how == null ? Status.PENDING : Status.APPLIED,
                declaration,
                previous,
                diff,
                List.of(),
                new Change.Times(now, now, now + lifetime.toMillis()),
                how);
        if (how != null) {
            target.apply(key, declaration);
            Change saved = store.insert(c);
            audit.record(saved, AuditKind.CHANGE_APPLIED, ChangeAudit.actor(author), Map.of("how", how));
            return new Submitted(saved.id(), true, null);
        }
        Change saved = store.insert(c);
        audit.record(saved, AuditKind.CHANGE_PROPOSED, ChangeAudit.actor(author), Map.of("needs", keys.missing(saved)));
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
        Map<String, Object> facts = target.previewFacts(checked != null ? checked : previous);
        ChangeRules.Assessed assessed = assessor.assess(what, author, checked, previous, diff, facts);
        out.put("action", action);
        out.put("diff", diff);
        out.put("tier", assessed.tier().wireName());
        out.put("tierRule", assessed.rule());
        if (Assessor.kept(facts) != null) {
            out.put("facts", Assessor.kept(facts));
        }
        String how = assessor.immediately(assessed.tier(), author);
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
        Map<String, Object> facts = target.facts(checked != null ? checked : c.previous());
        ChangeRules.Assessed assessed = assessor.assess(c.target(), c.author(), checked, c.previous(), diff, facts);
        Change amended = new Change(
                c.id(),
                c.target(),
                c.author(),
                new Change.Assessment(assessed.tier(), assessed.rule(), Assessor.kept(facts)),
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
        audit.record(
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
        List<String> needs = keys.missing(now);
        detail.put("needs", needs);
        audit.record(now, AuditKind.CHANGE_APPROVED, p.caller(), detail);
        if (needs.isEmpty()) {
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
        audit.record(now, AuditKind.CHANGE_REJECTED, p.caller(), Map.of());
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
        audit.record(now, AuditKind.CHANGE_WITHDRAWN, ChangeAudit.actor(author), Map.of());
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
                store.find(id).ifPresent(c -> audit.record(c, AuditKind.CHANGE_EXPIRED, "system", Map.of()));
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
        audit.record(done, AuditKind.CHANGE_APPLIED, "system", Map.of("how", "approved"));
        return done;
    }

    private Change failed(Change c, String why) {
        store.move(c.id(), Status.PENDING, Status.FAILED, why, clock.millis());
        Change done = store.find(c.id()).orElseThrow();
        audit.record(done, AuditKind.CHANGE_FAILED, "system", Map.of("why", why));
        return done;
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

    private static boolean mine(Change c, Change.Author who) {
        return c.author().person() != null
                ? c.author().person().equals(who.person())
                : c.author().caller().equals(who.caller());
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }
}
