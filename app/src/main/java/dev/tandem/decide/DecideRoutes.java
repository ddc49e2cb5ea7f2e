package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.WriteKeys;
import dev.tandem.connect.Source;
import dev.tandem.connect.Sources;
import dev.tandem.config.JsonBody;
import dev.tandem.error.NotFound;
import dev.tandem.error.Unauthorized;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code POST /v1/decide}, called like the tracking API with a source's write key (HTTP Basic
 * user name), so a web page or app can call it for visitors Tandem does not know yet;
 * {@code GET /v1/experiments/{key}/results} (scope {@code experiments:read}); and
 * {@code GET /v1/admin/placements}.
 */
public final class DecideRoutes {
    private final Decider decider;
    private final Sources sources;
    private final ExperimentStore store;
    private final ObjectMapper mapper;

    public DecideRoutes(Decider decider, Sources sources, org.jdbi.v3.core.Jdbi jdbi, ObjectMapper mapper) {
        this.decider = decider;
        this.sources = sources;
        this.store = new ExperimentStore(jdbi);
        this.mapper = mapper;
    }

    public void register(Javalin app) {
        app.post("/v1/decide", ctx -> {
            Source source = source(ctx);
            ctx.json(decider.json(decider.decide(DecideRequest.from(body(ctx)), source)));
        });
        app.get("/v1/experiments/{key}/results", this::results);
        app.get("/v1/admin/placements", ctx -> {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode list = body.putArray("placements");
            for (Placement p : decider.placements()) {
                ObjectNode o = list.addObject().put("key", p.key()).put("name", p.name());
                p.owners().forEach(o.putArray("owners")::add);
                ArrayNode rules = o.putArray("rules");
                p.rules().forEach(r -> rules.addObject().put("name", r.name()).put("when", r.when().source()).put("variant", r.variant().key()));
                o.put("default", p.fallback().key());
                if (p.experiment() != null) {
                    o.putObject("experiment").put("key", p.experiment().key()).put("goal", p.experiment().goal());
                }
            }
            ctx.json(body);
        });
    }

    private void results(Context ctx) {
        String key = ctx.pathParam("key");
        Experiment e = decider.placements().stream().map(Placement::experiment).filter(x -> x != null && x.key().equals(key))
                .findFirst().orElseThrow(() -> new NotFound("experiment_not_found", "No placement runs an experiment with the key '"
                        + key + "'; GET /v1/admin/placements lists them."));
        ObjectNode body = mapper.createObjectNode().put("experiment", e.key()).put("name", e.name()).put("goal", e.goal())
                .put("confidence", 0.95).put("test", "two-proportion z-test; interval: Wald, unpooled");
        ArrayNode arms = body.putArray("arms");
        for (ExperimentResults.ArmResult r : ExperimentResults.of(e, store.counts(e.key()))) {
            ObjectNode o = arms.addObject().put("arm", r.arm()).put("control", r.control()).put("exposed", r.exposed())
                    .put("converted", r.converted()).put("conversion_rate", r.rate()).put("uplift", r.uplift());
            if (r.comparison() != null) {
                o.putObject("difference").put("value", r.comparison().difference()).put("low", r.comparison().low())
                        .put("high", r.comparison().high()).put("p_value", r.comparison().pValue())
                        .put("significant", r.comparison().pValue() < 0.05);
            }
        }
        ctx.json(body);
    }

    private Source source(Context ctx) {
        String key = WriteKeys.fromAuthorization(ctx.header("Authorization"));
        if (key == null) {
            throw new Unauthorized("missing_write_key", "Send a source's write key as HTTP Basic user name (writeKey:), as on tracking calls.");
        }
        return sources.byWriteKey(key).orElseThrow(() -> new Unauthorized("unknown_write_key",
                "No source has that write key; check it, or create a source with 'tandem sources add'."));
    }

    private JsonNode body(Context ctx) {
        return JsonBody.read(mapper, ctx.body(), "{\"placement\": \"home_hero\", \"anonymousId\": \"a-1\"}");
    }
}
