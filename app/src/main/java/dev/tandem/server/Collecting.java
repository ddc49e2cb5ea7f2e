package dev.tandem.server;

import dev.tandem.collect.SourceDeclaration;
import dev.tandem.plan.PlanDeclaration;
import java.util.List;

/** What tandem.yaml declares about the events coming in: the sources, and the tracking plans their events must follow. */
record Collecting(List<SourceDeclaration> sources, List<PlanDeclaration> trackingPlans) {}
