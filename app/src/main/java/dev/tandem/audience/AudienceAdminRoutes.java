package dev.tandem.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.expr.Expressions;
import dev.tandem.profile.ProfileReader;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * Changing audiences: {@code POST /v1/admin/audiences}, {@code PUT} and {@code DELETE
 * /v1/admin/audiences/{key}}, and {@code POST /v1/admin/audiences/{key}/recompute}. A bad
 * condition is refused with its position; audiences from tandem.yaml are changed in the file.
 */
public final class AudienceAdminRoutes {
    private final Audiences audiences;
    private final Expressions expressions;
    private final AudienceRoutes reads;
    private final ProfileReader profiles;
    private final ObjectMapper mapper;

    public AudienceAdminRoutes(Audiences audiences, Expressions expressions, AudienceRoutes reads, ProfileReader profiles, ObjectMapper mapper) {
        this.audiences = audiences;
        this.expressions = expressions;
        this.reads = reads;
        this.profiles = profiles;
        this.mapper = mapper;
    }

    public void register(Javalin app) {
        app.post("/v1/admin/audiences", ctx -> {
            Audience a = audiences.create(AudienceDefinition.fromJson(body(ctx), null, expressions));
            ctx.status(201).json(reads.json(a, profiles.maxId()));
        });
        app.put("/v1/admin/audiences/{key}", ctx -> {
            Audience a = audiences.update(AudienceDefinition.fromJson(body(ctx), ctx.pathParam("key"), expressions));
            ctx.json(reads.json(a, profiles.maxId()));
        });
        app.delete("/v1/admin/audiences/{key}", ctx -> {
            audiences.delete(ctx.pathParam("key"));
            ctx.status(204);
        });
        app.post("/v1/admin/audiences/{key}/recompute", ctx -> ctx.status(202).json(reads.json(audiences.recompute(ctx.pathParam("key")), profiles.maxId())));
    }

    private JsonNode body(Context ctx) {
        return JsonBody.read(mapper, ctx.body(), "{\"key\": \"big_spenders\", \"name\": \"Big spenders\", "
                + "\"owners\": [\"marketing\"], \"condition\": \"computed.lifetime_revenue >= 500\"}");
    }
}
