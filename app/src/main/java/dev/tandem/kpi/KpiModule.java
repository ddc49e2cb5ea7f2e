package dev.tandem.kpi;

import dev.tandem.audience.Memberships;
import dev.tandem.audit.AuditLog;
import dev.tandem.config.ConfigNode;
import dev.tandem.expr.Expressions;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.people.People;
import dev.tandem.protect.Classifier;

/**
 * Shared KPIs: the {@code kpi} stage (after the stages whose changes it reads), the {@code kpi} kind
 * of changes, the KPI, belief and perception-gap routes, initiatives with the {@code kpi.checkpoints}
 * job that announces every passed checkpoint to the change feed.
 */
public final class KpiModule implements Module {
    private final ConfigNode kpis;
    private final Expressions expressions;
    private final Memberships memberships;
    private final People people;
    private final AuditLog audit;
    private final Classifier classifier;

    /** What the module reads from the packages before it: memberships, people, the audit trail and the classifier. */
    public record Uses(Memberships memberships, People people, AuditLog audit, Classifier classifier) {}

    /** @param kpis the {@code kpis:} section of tandem.yaml (missing: none) */
    public KpiModule(ConfigNode kpis, Expressions expressions, Uses uses) {
        this.kpis = kpis;
        this.expressions = expressions;
        this.memberships = uses.memberships();
        this.people = uses.people();
        this.audit = uses.audit();
        this.classifier = uses.classifier();
    }

    @Override
    public String name() {
        return "kpi";
    }

    @Override
    public void wire(Wiring wiring) {
        DimensionGuard guard = new DimensionGuard(classifier);
        KpiCatalog catalog = new KpiCatalog(KpiDefinition.all(kpis, expressions, guard));
        KpiChanges kind = new KpiChanges(
                wiring.jdbi(),
                catalog,
                (node, stored) -> KpiDefinition.from(node, expressions, stored ? guard.stored() : guard),
                wiring.mapper(),
                wiring.clock());
        kind.load();
        wiring.changeable(kind);
        KpiStore store = new KpiStore(wiring.jdbi());
        wiring.stage(new KpiStage(catalog, memberships, new Windows(wiring.jdbi()), guard, store));
        KpiQuery query = new KpiQuery(store, guard);
        new KpiRoutes(catalog, query, kind, wiring.changes(), wiring.mapper(), wiring.clock())
                .register(wiring.routes());
        Beliefs beliefs = new Beliefs(wiring.jdbi());
        new BeliefRoutes(catalog, beliefs, people, wiring.mapper(), wiring.clock()).register(wiring.routes());
        new PerceptionGap(catalog, beliefs, query, wiring.clock()).register(wiring.routes());
        Initiatives initiatives = new Initiatives(wiring.jdbi(), wiring.mapper(), catalog, query, wiring.clock());
        new InitiativeRoutes(initiatives, catalog, query, people, wiring.mapper()).register(wiring.routes());
        wiring.job(new CheckpointJob(initiatives, audit, wiring.clock()));
        wiring.onStart(() -> wiring.scheduler()
                .schedule(CheckpointJob.KIND, CheckpointJob.KEY, wiring.clock().instant(), null));
    }
}
