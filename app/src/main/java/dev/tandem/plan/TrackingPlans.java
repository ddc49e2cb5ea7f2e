package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.collect.EventPlans;
import dev.tandem.collect.Sources;
import dev.tandem.config.ConfigException;
import dev.tandem.config.ConfigNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.module.Wiring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every change to tracking plans goes through here: {@link #read} checks a declaration without
 * changing anything, {@link #apply} creates or replaces a plan and puts it in force at once,
 * {@link #remove} deletes one. Plans of tandem.yaml are changed in the file only; those made here
 * are stored and compiled again at every start. A source follows at most one plan.
 */
public final class TrackingPlans {
    /** A plan in force: its declaration, whether tandem.yaml declares it, and when it last changed (0 for the file's). */
    public record Plan(PlanDeclaration declaration, boolean fromWorkspace, long updatedAt) {}

    /** What {@link #apply} did. */
    public record Applied(Plan plan, boolean created) {}

    private record Loaded(Plan plan, CompiledPlan compiled) {}

    private final Sources sources;
    private final Wiring wiring;
    private final Schemas schemas = new Schemas();
    private final PlanStore store;
    private final Violations violations;
    private final PlanBook book = new PlanBook();
    private final Map<String, Loaded> plans = new TreeMap<>();

    TrackingPlans(List<PlanDeclaration> declared, Sources sources, Wiring wiring) {
        this.sources = sources;
        this.wiring = wiring;
        this.store = new PlanStore(wiring.jdbi());
        this.violations = wiring.closeable(new Violations(wiring.jdbi(), wiring.clock()));
        for (PlanDeclaration d : declared) {
            try {
                knownSources(d);
            } catch (BadRequest e) {
                throw new ConfigException("tandem.yaml trackingPlans, plan '" + d.key() + "': " + e.getMessage()
                        + " Declare the source under 'sources', or remove it from the plan.");
            }
            load(new Plan(d, true, 0));
        }
        for (PlanStore.Stored s : store.all()) {
            if (plans.containsKey(s.key())) {
                throw new ConfigException("The tracking plan '" + s.key() + "' is declared in tandem.yaml and was also "
                        + "made through the API; remove it from the file, or delete it with DELETE /v1/tracking-plans/"
                        + s.key() + ".");
            }
            PlanDeclaration d = read(s.key(), stored(s));
            String taken = owner(d, s.key());
            if (taken != null) {
                throw new ConfigException("The tracking plan '" + s.key()
                        + "' made through the API governs a source that " + "tandem.yaml's plan '" + taken
                        + "' governs too; a source follows one plan: change one of them.");
            }
            load(new Plan(d, false, s.updatedAt()));
        }
        publish();
    }

    /** A stored declaration read back; one that is not JSON was not written by this class, so it throws. */
    private JsonNode stored(PlanStore.Stored s) {
        try {
            return wiring.mapper().readTree(s.declaration());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(
                    "The stored tracking plan '" + s.key() + "' is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Checks a declaration as {@code PUT /v1/tracking-plans/{key}} takes it, compiling every schema,
     * and changes nothing: 400 {@code invalid_tracking_plan} naming the field at fault.
     */
    public static PlanDeclaration read(String key, JsonNode declaration) {
        if (declaration == null || !declaration.isObject()) {
            throw new BadRequest(
                    "invalid_body", "Send a tracking plan as a JSON object, such as " + PlanRoutes.EXAMPLE + ".");
        }
        ConfigNode node = new ConfigNode(
                declaration,
                "",
                (path, problem) -> new BadRequest(
                        "invalid_tracking_plan",
                        Character.toUpperCase(problem.charAt(0)) + problem.substring(1),
                        path.isEmpty() ? null : path.substring(1).replace('/', '.')));
        return PlanDeclaration.read(key, node, new Schemas());
    }

    /** Creates or replaces the plan {@code key}; it is in force for the next event collected. */
    public synchronized Applied apply(String key, JsonNode declaration) {
        refuseWorkspace(key);
        PlanDeclaration d = read(key, declaration);
        knownSources(d);
        String taken = owner(d, key);
        if (taken != null) {
            throw new Conflict(
                    "source_has_plan",
                    "A source of this plan follows the plan '" + taken + "' already; a source follows one plan: "
                            + "remove it from that plan first.",
                    "sources");
        }
        long now = wiring.clock().millis();
        boolean created = store.put(key, d.toJson(wiring.mapper()).toString(), now);
        Plan plan = new Plan(d, false, now);
        load(plan);
        publish();
        return new Applied(plan, created);
    }

    /** Deletes the plan {@code key} and its violation counts; its sources' events are no longer checked. */
    public synchronized void remove(String key) {
        refuseWorkspace(key);
        if (!plans.containsKey(key)) {
            throw unknown(key);
        }
        store.delete(key);
        plans.remove(key);
        publish();
        violations.forget(key);
    }

    public synchronized List<Plan> list() {
        return plans.values().stream().map(Loaded::plan).toList();
    }

    public synchronized Optional<Plan> get(String key) {
        return Optional.ofNullable(plans.get(key)).map(Loaded::plan);
    }

    /** The plan's violation counts, most frequent first; 404 for a plan that does not exist. */
    List<Violations.Row> violations(String key) {
        if (get(key).isEmpty()) {
            throw unknown(key);
        }
        return violations.of(key);
    }

    /** What collection consults for every event. */
    EventPlans book() {
        return book;
    }

    private void load(Plan plan) {
        plans.put(
                plan.declaration().key(),
                new Loaded(plan, new CompiledPlan(plan.declaration(), schemas, violations, wiring.meters())));
    }

    private void publish() {
        List<CompiledPlan> compiled = new ArrayList<>();
        plans.values().forEach(l -> compiled.add(l.compiled()));
        book.publish(compiled);
    }

    /** The key of another plan that governs one of {@code d}'s sources, or null. */
    private String owner(PlanDeclaration d, String key) {
        Map<String, String> governed = new LinkedHashMap<>();
        plans.forEach((k, l) -> l.plan().declaration().sources().forEach(s -> governed.put(s, k)));
        for (String source : d.sources()) {
            String other = governed.get(source);
            if (other != null && !other.equals(key)) {
                return other;
            }
        }
        return null;
    }

    private void knownSources(PlanDeclaration d) {
        for (int i = 0; i < d.sources().size(); i++) {
            String name = d.sources().get(i);
            if (sources.byName(name).isEmpty()) {
                throw new BadRequest(
                        "unknown_source",
                        "No source is named '" + name + "'; see GET /v1/admin/sources.",
                        "sources." + i);
            }
        }
    }

    void refuseWorkspace(String key) {
        Loaded loaded = plans.get(key);
        if (loaded != null && loaded.plan().fromWorkspace()) {
            throw new Conflict(
                    "declared_in_workspace",
                    "The tracking plan '" + key + "' is declared in tandem.yaml; edit it there and restart: the API "
                            + "changes only plans it made.",
                    "key");
        }
    }

    static NotFound unknown(String key) {
        String shown = key.length() > 64 ? key.substring(0, 64) + "..." : key;
        return new NotFound(
                "unknown_tracking_plan",
                "There is no tracking plan '" + shown + "'; see GET /v1/tracking-plans, or create it with PUT.");
    }
}
