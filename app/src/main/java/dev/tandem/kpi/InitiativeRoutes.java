package dev.tandem.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Caller;
import dev.tandem.module.Routes;
import dev.tandem.people.People;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/initiatives} and {@code GET /v1/initiatives/{key}} (scope {@code kpis:read}) with each
 * checkpoint's status and the initiative's; {@code POST /v1/initiatives} (scope {@code changes:write}).
 */
final class InitiativeRoutes {
    private final Initiatives initiatives;
    private final KpiCatalog catalog;
    private final KpiQuery query;
    private final People people;
    private final ObjectMapper mapper;

    InitiativeRoutes(Initiatives initiatives, KpiCatalog catalog, KpiQuery query, People people, ObjectMapper mapper) {
        this.initiatives = initiatives;
        this.catalog = catalog;
        this.query = query;
        this.people = people;
        this.mapper = mapper;
    }

    void register(Routes routes) {
        routes.get("/v1/initiatives", Access.scope(KpiRoutes.READ), ctx -> {
            List<Map<String, Object>> all = new ArrayList<>();
            initiatives.all().forEach(i -> all.add(json(i)));
            ctx.json(Map.of("initiatives", all));
        });
        routes.get(
                "/v1/initiatives/{key}",
                Access.scope(KpiRoutes.READ),
                ctx -> ctx.json(json(initiatives
                        .get(ctx.pathParam("key"))
                        .orElseThrow(() -> new NotFound(
                                "unknown_initiative",
                                "There is no initiative '" + KpiRoutes.shortened(ctx.pathParam("key"))
                                        + "'; GET /v1/initiatives lists them.")))));
        routes.post("/v1/initiatives", Access.scope("changes:write"), ctx -> {
            JsonNode body = BeliefRoutes.body(ctx, mapper, Initiative.EXAMPLE);
            Initiative i = Initiative.from(body, catalog, people);
            String by = Caller.person(ctx) != null ? Caller.person(ctx) : Caller.of(ctx);
            initiatives.add(i, body, by);
            ctx.status(201).json(json(i));
        });
    }

    Map<String, Object> json(Initiative i) {
        Map<String, Initiatives.Passed> recorded = initiatives.passed(i.key());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", i.key());
        out.put("name", i.name());
        out.put("goal", i.goal());
        out.put(
                "owners",
                Map.of("marketing", i.owners().marketing(), "it", i.owners().it()));
        List<Map<String, Object>> kpis = new ArrayList<>();
        for (Initiative.Link l : i.kpis()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("kpi", l.kpi());
            k.put("baseline", l.baseline());
            k.put("target", l.target());
            KpiDefinition d = catalog.get(l.kpi()).orElse(null);
            Estimate now = d == null
                    ? Estimate.none(0)
                    : query.measured(
                            d,
                            new Period(initiatives.today().minusDays(Initiatives.WINDOW_DAYS - 1), initiatives.today()),
                            null,
                            null);
            k.put("value", KpiQuery.number(now.value()));
            k.put("n", now.n());
            kpis.add(k);
        }
        out.put("kpis", kpis);
        List<Map<String, Object>> checkpoints = new ArrayList<>();
        Map<String, String> latest = new LinkedHashMap<>(); // per KPI, the status of its latest passed checkpoint
        for (Initiative.Checkpoint c : i.checkpoints()) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("date", c.date().toString());
            point.put("kpi", c.kpi());
            point.put("expected", c.expected());
            point.put("milestone", c.milestone());
            if (initiatives.hasPassed(c)) {
                Initiatives.Passed p = recorded.getOrDefault(c.kpi() + "@" + c.date(), initiatives.measure(c));
                point.put("status", p.status());
                point.put("value", p.value());
                latest.put(c.kpi(), p.status());
            } else {
                point.put("status", "upcoming");
                point.put("value", null);
            }
            checkpoints.add(point);
        }
        out.put("checkpoints", checkpoints);
        out.put("status", latest.containsValue("missed") ? "at_risk" : "on_track");
        return out;
    }
}
