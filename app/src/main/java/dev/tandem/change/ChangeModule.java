package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.audit.AuditLog;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.people.People;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The wiring of changes: the store, the flow every route's changes go through (set on
 * {@link Wiring#changes}), {@code /v1/changes}, the {@code change.expire} job, and the reading of
 * tandem.yaml at start as changes ({@link #reconcile}). Composed right after people, before the
 * capabilities whose objects it changes; they declare their kinds to the wiring, and the flow finds
 * them there once every module is wired.
 */
public final class ChangeModule implements Module {
    /**
     * @param adminTokenApplies whether the admin token's changes apply at once (for bootstrap and
     *                          automation; each is still a change record, in the audit trail and the feed)
     * @param proposalLifetime  how long a change may wait for approvals before it expires
     */
    public record Settings(boolean adminTokenApplies, Duration proposalLifetime) {}

    private final ChangeRules rules;
    private final People people;
    private final AuditLog audit;
    private final Settings settings;
    private final Function<String, String> sideOfTeam;
    private final Map<String, Function<JsonNode, Map<String, Object>>> fileFacts;
    private FileChanges file;

    /**
     * @param sideOfTeam the side ({@code marketing}, {@code it}) of a team, null for neither
     * @param fileFacts  per kind, what change rules read about a declaration of tandem.yaml
     */
    public ChangeModule(
            ChangeRules rules,
            People people,
            AuditLog audit,
            Settings settings,
            Function<String, String> sideOfTeam,
            Map<String, Function<JsonNode, Map<String, Object>>> fileFacts) {
        this.rules = rules;
        this.people = people;
        this.audit = audit;
        this.settings = settings;
        this.sideOfTeam = sideOfTeam;
        this.fileFacts = fileFacts;
    }

    @Override
    public String name() {
        return "change";
    }

    @Override
    public void wire(Wiring wiring) {
        ChangeStore store = new ChangeStore(wiring.jdbi(), wiring.mapper());
        Keys keys = new Keys(people::person, sideOfTeam);
        Assessor assessor = new Assessor(rules, settings.adminTokenApplies(), people::anyone);
        ChangeAudit records = new ChangeAudit(audit);
        ChangeFlow flow = new ChangeFlow(
                store,
                assessor,
                keys,
                records,
                wiring.clock(),
                settings.proposalLifetime(),
                people::person,
                wiring::changeables);
        wiring.changes(flow);
        new ChangeRoutes(flow, store, wiring.mapper()).register(wiring.routes());
        wiring.job(new ExpiryJob(flow, wiring.clock()));
        wiring.onStart(() -> wiring.scheduler()
                .schedule(
                        ExpiryJob.KIND, ExpiryJob.KEY, wiring.clock().instant().plus(ExpiryJob.EVERY), null));
        file = new FileChanges(
                store,
                new FileProposals(store, assessor, keys, records, wiring.clock(), settings.proposalLifetime()),
                wiring.clock(),
                fileFacts);
    }

    /** tandem.yaml's tree as it may be live: edits that wait for approval put back as they were applied. */
    public JsonNode reconcile(JsonNode root) {
        return file.reconcile(root);
    }
}
