package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tandem.audit.AuditKind;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The change records tandem.yaml makes at start: the first start's, each edit's (pending, or
 * applied at once by its tier), an approved edit read at this start, and an edit replaced by a
 * newer one. Nothing is applied here: the start builds the workspace from what {@link FileChanges}
 * keeps live.
 */
final class FileProposals {
    private final ChangeStore store;
    private final Assessor assessor;
    private final Keys keys;
    private final ChangeAudit audit;
    private final Clock clock;
    private final Duration lifetime;

    FileProposals(ChangeStore store, Assessor assessor, Keys keys, ChangeAudit audit, Clock clock, Duration lifetime) {
        this.store = store;
        this.assessor = assessor;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A proposal from tandem.yaml found at start: pending (or applied at once by its tier), never applied here. */
    Change fromFile(
            Function<JsonNode, Map<String, Object>> facts,
            String kind,
            String key,
            JsonNode declaration,
            JsonNode previous) {
        JsonNode diff = Diff.of(previous, declaration);
        String action = previous == null ? "create" : declaration == null ? "delete" : "update";
        Change.Target what = new Change.Target(kind, key, action, "file");
        Change.Author author = new Change.Author("file:tandem.yaml", null, null);
        Map<String, Object> kindFacts = facts.apply(declaration != null ? declaration : previous);
        ChangeRules.Assessed assessed = assessor.assess(what, author, declaration, previous, diff, kindFacts);
        String how = assessor.immediately(assessed.tier(), author);
        long now = clock.millis();
        Change saved = store.insert(new Change(
                0,
                what,
                author,
                new Change.Assessment(assessed.tier(), assessed.rule(), Assessor.kept(kindFacts)),
                how == null ? Status.PENDING : Status.APPLIED,
                declaration,
                previous,
                diff,
                List.of(),
                new Change.Times(now, now, now + lifetime.toMillis()),
                how == null ? "Edited in tandem.yaml; the version before it stays live until this is approved." : how));
        if (how != null) {
            audit.record(saved, AuditKind.CHANGE_APPLIED, author.caller(), Map.of("how", how));
        } else {
            audit.record(saved, AuditKind.CHANGE_PROPOSED, author.caller(), Map.of("needs", keys.missing(saved)));
        }
        return saved;
    }

    /** The first start: the workspace as tandem.yaml declares it, recorded as one applied change. */
    Change firstStart(JsonNode workspace) {
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
            audit.record(c, AuditKind.CHANGE_APPLIED, "system", Map.of("how", "read from tandem.yaml at start"));
        }
    }

    /** A pending file change whose edit was edited again, or taken back, before approval. */
    void replaced(Change c, String why) {
        if (store.move(c.id(), c.status(), Status.REPLACED, why, clock.millis())) {
            audit.record(c, AuditKind.CHANGE_WITHDRAWN, "file:tandem.yaml", Map.of("why", why));
        }
    }
}
