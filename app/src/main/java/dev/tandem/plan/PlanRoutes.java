package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.JsonBody;
import dev.tandem.module.Access;
import dev.tandem.module.Changes;
import dev.tandem.module.Routes;
import dev.tandem.wire.EventTime;
import io.javalin.http.Context;
import java.time.Instant;

/**
 * {@code GET /v1/tracking-plans}, {@code GET|PUT|DELETE /v1/tracking-plans/{key}} and
 * {@code GET /v1/tracking-plans/{key}/violations}, behind the admin token. A body is a plan as
 * tandem.yaml declares one, in JSON; every change goes through {@link TrackingPlans}.
 */
final class PlanRoutes {
    static final int MAX_BODY = 512 * 1024;
    static final String EXAMPLE = "{\"sources\": [\"web\"], \"mode\": \"block\", \"owners\": [\"it-data\"], "
            + "\"events\": {\"Order Completed\": {\"type\": \"object\", \"required\": [\"total\"], "
            + "\"properties\": {\"total\": {\"type\": \"number\"}}}}}";

    private final TrackingPlans plans;
    private final ObjectMapper mapper;
    private final PlanChanges kind;
    private final Changes changes;

    PlanRoutes(TrackingPlans plans, ObjectMapper mapper, PlanChanges kind, Changes changes) {
        this.kind = kind;
        this.changes = changes;
        this.plans = plans;
        this.mapper = mapper;
    }

    void register(Routes routes) {
        routes.get("/v1/tracking-plans", Access.ADMIN, ctx -> {
            ObjectNode body = mapper.createObjectNode();
            var items = body.putArray("plans");
            plans.list().forEach(p -> items.add(describe(p)));
            ctx.json(body);
        });
        routes.get("/v1/tracking-plans/{key}", Access.ADMIN, ctx -> {
            String key = ctx.pathParam("key");
            ctx.json(describe(plans.get(key).orElseThrow(() -> TrackingPlans.unknown(key))));
        });
        routes.put("/v1/tracking-plans/{key}", Access.ADMIN, ctx -> {
            String key = ctx.pathParam("key");
            boolean created = plans.get(key).isEmpty();
            Changes.Submitted s = changes.submit(kind, key, kind.check(key, body(ctx)), ctx);
            if (!s.applied()) {
                s.answerPending(ctx, "the tracking plan '" + key + "'");
                return;
            }
            ObjectNode out = mapper.valueToTree(describe(plans.get(key).orElseThrow()));
            if (s.id() != 0) {
                out.put("change", s.id());
            }
            ctx.status(created ? 201 : 200).json(out);
        });
        routes.delete("/v1/tracking-plans/{key}", Access.ADMIN, ctx -> {
            String key = ctx.pathParam("key");
            plans.refuseWorkspace(key);
            if (plans.get(key).isEmpty()) {
                throw TrackingPlans.unknown(key);
            }
            Changes.Submitted s = changes.submit(kind, key, null, ctx);
            if (s.applied()) {
                ctx.status(204);
            } else {
                s.answerPending(ctx, "the tracking plan '" + key + "'");
            }
        });
        routes.get("/v1/tracking-plans/{key}/violations", Access.ADMIN, this::violations);
    }

    private void violations(Context ctx) {
        String key = ctx.pathParam("key");
        var rows = plans.violations(key);
        ObjectNode body = mapper.createObjectNode().put("plan", key);
        long total = 0;
        var items = body.putArray("violations");
        for (Violations.Row row : rows) {
            total += row.count();
            ObjectNode item = items.addObject();
            item.put("type", row.key().type());
            item.put("event", row.key().event());
            item.put("field", row.key().field());
            item.put("kind", row.key().kind().wireName());
            item.put("count", row.count());
            item.putObject("sample")
                    .put("keyword", row.keyword())
                    .put("expected", row.expected())
                    .put("found", row.found());
            item.put("firstSeen", EventTime.format(Instant.ofEpochMilli(row.firstAt())));
            item.put("lastSeen", EventTime.format(Instant.ofEpochMilli(row.lastAt())));
        }
        body.put("total", total);
        ctx.json(body);
    }

    private ObjectNode describe(TrackingPlans.Plan plan) {
        ObjectNode json = (ObjectNode) plan.declaration().toJson(mapper);
        json.put("origin", plan.fromWorkspace() ? "tandem.yaml" : "api");
        if (plan.updatedAt() > 0) {
            json.put("updatedAt", EventTime.format(Instant.ofEpochMilli(plan.updatedAt())));
        }
        return json;
    }

    private JsonNode body(Context ctx) {
        String text = JsonBody.limited(
                ctx.bodyAsBytes(),
                MAX_BODY,
                "a tracking plan",
                "Split it: a source follows one plan, but a plan may be trimmed to the events that matter.");
        return JsonBody.read(mapper, text, EXAMPLE);
    }
}
