package dev.tandem.kpi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KPIs in force: those of tandem.yaml, then those made through changes. Read by the stage at every
 * batch and by the routes; replaced whole when a change applies, so a reader sees one set or the next.
 */
final class KpiCatalog {
    private final List<KpiDefinition> workspace;
    private volatile Map<String, KpiDefinition> api = Map.of();
    private volatile List<KpiDefinition> all;

    KpiCatalog(List<KpiDefinition> workspace) {
        this.workspace = List.copyOf(workspace);
        this.all = this.workspace;
    }

    List<KpiDefinition> all() {
        return all;
    }

    Optional<KpiDefinition> get(String key) {
        for (KpiDefinition d : all) {
            if (d.key().equals(key)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    boolean inWorkspace(String key) {
        return workspace.stream().anyMatch(d -> d.key().equals(key));
    }

    Map<String, KpiDefinition> api() {
        return api;
    }

    /** Makes these the KPIs made through changes. */
    synchronized void replaceApi(Map<String, KpiDefinition> made) {
        Map<String, KpiDefinition> copy = new LinkedHashMap<>(made);
        List<KpiDefinition> next = new ArrayList<>(workspace);
        next.addAll(copy.values());
        api = copy;
        all = List.copyOf(next);
    }
}
