package dev.tandem.kpi;

import dev.tandem.audience.Memberships;
import dev.tandem.audit.AuditLog;
import dev.tandem.config.ConfigNode;
import dev.tandem.expr.Expressions;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.people.People;

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

    /** @param kpis the {@code kpis:} section of tandem.yaml (missing: none) */
    public KpiModule(ConfigNode kpis, Expressions expressions, Memberships memberships, People people, AuditLog audit) {
        this.kpis = kpis;
        this.expressions = expressions;
        this.memberships = memberships;
        this.people = people;
        this.audit = audit;
    }

    @Override
    public String name() {
        return "kpi";
    }

    @Override
    public void wire(Wiring wiring) {
        KpiCatalog catalog = new KpiCatalog(KpiDefinition.all(kpis, expressions));
        KpiChanges kind = new KpiChanges(wiring.jdbi(), catalog, expressions, wiring.mapper(), wiring.clock());
        kind.load();
        wiring.changeable(kind);
        wiring.stage(new KpiStage(catalog, memberships, new Windows(wiring.jdbi())));
        KpiQuery query = new KpiQuery(new KpiStore(wiring.jdbi()));
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
