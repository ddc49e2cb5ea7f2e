package dev.tandem.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Changes;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/kpis} and {@code GET /v1/kpis/{key}} (scope {@code kpis:read}, which every role
 * holds), and {@code PUT}/{@code DELETE /v1/admin/kpis/{key}}, which hand the change to the change module.
 */
final class KpiRoutes {
    static final String READ = "kpis:read";
    static final String EXAMPLE =
            "{\"key\": \"nps\", \"name\": \"Likelihood to recommend\", \"owners\": [\"marketing\", \"it\"], "
                    + "\"type\": \"nps\", \"events\": \"event == 'Survey Answered'\", \"value\": \"properties.score\", "
                    + "\"by\": {\"touchpoint\": \"properties.touchpoint\"}, \"target\": 40}";

    private final KpiCatalog catalog;
    private final KpiQuery query;
    private final KpiChanges kind;
    private final Changes changes;
    private final ObjectMapper mapper;
    private final Clock clock;

    KpiRoutes(KpiCatalog catalog, KpiQuery query, KpiChanges kind, Changes changes, ObjectMapper mapper, Clock clock) {
        this.catalog = catalog;
        this.query = query;
        this.kind = kind;
        this.changes = changes;
        this.mapper = mapper;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.get("/v1/kpis", Access.scope(READ), this::list);
        routes.get("/v1/kpis/{key}", Access.scope(READ), this::one);
        routes.put("/v1/admin/kpis/{key}", Access.ADMIN, ctx -> {
            String key = ctx.pathParam("key");
            JsonNode body = JsonBody.read(mapper, ctx.body(), EXAMPLE);
            Changes.Submitted s = changes.submit(kind, key, kind.check(key, body), ctx);
            if (!s.applied()) {
                s.answerPending(ctx, "the KPI '" + key + "'");
                return;
            }
            ctx.status(200).json(definition(key));
        });
        routes.delete("/v1/admin/kpis/{key}", Access.ADMIN, ctx -> {
            String key = ctx.pathParam("key");
            definition(key);
            if (!catalog.api().containsKey(key)) {
                kind.check(key, mapper.createObjectNode()); // refuses a KPI of tandem.yaml with its 409
            }
            Changes.Submitted s = changes.submit(kind, key, null, ctx);
            if (s.applied()) {
                ctx.status(204);
            } else {
                s.answerPending(ctx, "the KPI '" + key + "'");
            }
        });
    }

    private void list(Context ctx) {
        Period p = Period.of(ctx.queryParam("from"), ctx.queryParam("to"), clock);
        List<Map<String, Object>> kpis = new ArrayList<>();
        for (KpiDefinition d : catalog.all()) {
            kpis.add(query.summary(d, p));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", p.from().toString());
        out.put("to", p.to().toString());
        out.put("kpis", kpis);
        ctx.json(out);
    }

    private void one(Context ctx) {
        KpiDefinition d = find(catalog, ctx.pathParam("key"));
        Period p = Period.of(ctx.queryParam("from"), ctx.queryParam("to"), clock);
        String by = ctx.queryParam("by");
        if (by != null && !d.by().containsKey(by)) {
            throw new BadRequest(
                    "unknown_dimension",
                    "The KPI '" + d.key() + "' has no dimension '" + shortened(by) + "'; it has " + d.by().keySet()
                            + ".",
                    "by");
        }
        ctx.json(query.detail(d, p, by, Period.Interval.named(ctx.queryParam("interval"))));
    }

    private JsonNode definition(String key) {
        return find(catalog, key).declaration();
    }

    static KpiDefinition find(KpiCatalog catalog, String key) {
        return catalog.get(key)
                .orElseThrow(() -> new NotFound(
                        "unknown_kpi",
                        "There is no KPI '" + shortened(key) + "'; GET /v1/kpis lists them: "
                                + catalog.all().stream().map(KpiDefinition::key).toList() + "."));
    }

    static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
