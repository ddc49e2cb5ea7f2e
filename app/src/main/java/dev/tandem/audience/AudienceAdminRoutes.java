package dev.tandem.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.expr.Expressions;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.profile.ProfileReader;
import io.javalin.http.Context;

/**
 * Changing audiences: {@code POST /v1/admin/audiences}, {@code PUT} and {@code DELETE
 * /v1/admin/audiences/{key}}, and {@code POST /v1/admin/audiences/{key}/recompute}. A bad
 * condition is refused with its position; audiences from tandem.yaml are changed in the file.
 */
final class AudienceAdminRoutes {
    private final Audiences audiences;
    private final Expressions expressions;
    private final AudienceRoutes reads;
    private final ProfileReader profiles;
    private final ObjectMapper mapper;

    public AudienceAdminRoutes(
            Audiences audiences,
            Expressions expressions,
            AudienceRoutes reads,
            ProfileReader profiles,
            ObjectMapper mapper) {
        this.audiences = audiences;
        this.expressions = expressions;
        this.reads = reads;
        this.profiles = profiles;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.post("/v1/admin/audiences", Access.ADMIN, ctx -> {
            Audience a = audiences.create(AudienceDefinition.fromJson(body(ctx), null, expressions));
            ctx.status(201).json(reads.json(a, profiles.maxId()));
        });
        routes.put("/v1/admin/audiences/{key}", Access.ADMIN, ctx -> {
            Audience a = audiences.update(AudienceDefinition.fromJson(body(ctx), ctx.pathParam("key"), expressions));
            ctx.json(reads.json(a, profiles.maxId()));
        });
        routes.delete("/v1/admin/audiences/{key}", Access.ADMIN, ctx -> {
            audiences.delete(ctx.pathParam("key"));
            ctx.status(204);
        });
        routes.post(
                "/v1/admin/audiences/{key}/recompute",
                Access.ADMIN,
                ctx -> ctx.status(202).json(reads.json(audiences.recompute(ctx.pathParam("key")), profiles.maxId())));
    }

    private JsonNode body(Context ctx) {
        return JsonBody.read(
                mapper,
                ctx.body(),
                "{\"key\": \"big_spenders\", \"name\": \"Big spenders\", "
                        + "\"owners\": [\"marketing\"], \"condition\": \"computed.lifetime_revenue >= 500\"}");
    }
}
