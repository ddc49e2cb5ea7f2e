package dev.tandem.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;

/**
 * {@code GET /v1/tracking-plan-drafts/{source}}, behind the admin token: a draft plan for the source,
 * as JSON and as the YAML of a {@code trackingPlans:} section, which {@code tandem plans infer} prints.
 */
final class DraftRoutes {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final PlanDraft drafts;
    private final ObjectMapper mapper;

    DraftRoutes(PlanDraft drafts, ObjectMapper mapper) {
        this.drafts = drafts;
        this.mapper = mapper;
    }

    void register(Routes routes) {
        routes.get("/v1/tracking-plan-drafts/{source}", Access.ADMIN, ctx -> {
            PlanDraft.Draft draft = drafts.of(ctx.pathParam("source"), mapper);
            var section = mapper.createObjectNode();
            section.putArray("trackingPlans").add(draft.plan());
            ctx.json(mapper.createObjectNode()
                    .put("source", ctx.pathParam("source"))
                    .put("events", draft.events())
                    .<com.fasterxml.jackson.databind.node.ObjectNode>set("plan", draft.plan())
                    .put("yaml", YAML.writeValueAsString(section)));
        });
    }
}
