package dev.tandem.plan;

import dev.tandem.collect.CollectModule;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.protect.FieldCatalog;
import java.util.List;

/**
 * Tracking plans, wired right after collection: the plans of tandem.yaml and those stored, compiled
 * and put in force on the collection path, their routes, and the drafts {@code tandem plans infer} prints.
 */
public final class PlanModule implements Module {
    private final List<PlanDeclaration> declared;
    private final CollectModule collect;
    private final FieldCatalog catalog;
    private TrackingPlans plans;

    /** @param catalog the fields seen so far and their classes, which a draft notes */
    public PlanModule(List<PlanDeclaration> declared, CollectModule collect, FieldCatalog catalog) {
        this.declared = declared;
        this.collect = collect;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public void wire(Wiring wiring) {
        plans = new TrackingPlans(declared, collect.sources(), wiring);
        collect.checkPlans(plans.book());
        PlanChanges kind = new PlanChanges(plans, wiring.mapper());
        wiring.changeable(kind);
        new PlanRoutes(plans, wiring.mapper(), kind, wiring.changes()).register(wiring.routes());
        new DraftRoutes(new PlanDraft(collect.sources(), collect.inbox(), catalog), wiring.mapper())
                .register(wiring.routes());
    }

    /** Every change to plans, for whoever changes them (the admin API now, approved changes later). */
    public TrackingPlans plans() {
        return plans;
    }
}
