package dev.tandem.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.JsonBody;
import dev.tandem.expr.Expressions;
import dev.tandem.module.Access;
import dev.tandem.module.Changes;
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
    private final AudienceChanges kind;
    private final Changes changes;

    public AudienceAdminRoutes(
            Audiences audiences,
            Expressions expressions,
            AudienceRoutes reads,
            ProfileReader profiles,
            ObjectMapper mapper,
            Changes changes) {
        this.kind = new AudienceChanges(audiences, expressions, mapper);
        this.changes = changes;
        this.audiences = audiences;
        this.expressions = expressions;
        this.reads = reads;
        this.profiles = profiles;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.post("/v1/admin/audiences", Access.ADMIN, ctx -> {
            JsonNode body = body(ctx);
            String key = AudienceDefinition.fromJson(body, null, expressions).key();
            if (audiences.list().stream().anyMatch(a -> a.key().equals(key))) {
                throw new dev.tandem.error.Conflict(
                        "audience_exists",
                        "An audience with the key '" + key + "' exists already; PUT /v1/admin/audiences/" + key
                                + " changes it.",
                        "key");
            }
            answer(ctx, key, changes.submit(kind, key, kind.check(key, body), ctx), 201);
        });
        routes.put("/v1/admin/audiences/{key}", Access.ADMIN, ctx -> {
            String key = ctx.pathParam("key");
            audiences.byKey(key);
            answer(ctx, key, changes.submit(kind, key, kind.check(key, body(ctx)), ctx), 200);
        });
        routes.delete("/v1/admin/audiences/{key}", Access.ADMIN, ctx -> {
            String key = ctx.pathParam("key");
            audiences.byKey(key);
            kind.refuseWorkspace(key);
            Changes.Submitted s = changes.submit(kind, key, null, ctx);
            if (s.applied()) {
                ctx.status(204);
            } else {
                s.answerPending(ctx, "the audience '" + key + "'");
            }
        });
        routes.post(
                "/v1/admin/audiences/{key}/recompute",
                Access.ADMIN,
                ctx -> ctx.status(202).json(reads.json(audiences.recompute(ctx.pathParam("key")), profiles.maxId())));
    }

    private void answer(Context ctx, String key, Changes.Submitted s, int status) {
        if (!s.applied()) {
            s.answerPending(ctx, "the audience '" + key + "'");
            return;
        }
        ObjectNode out = reads.json(audiences.byKey(key), profiles.maxId());
        if (s.id() != 0) {
            out.put("change", s.id());
        }
        ctx.status(status).json(out);
    }

    /** The kind the wiring is told about, so that POST /v1/changes reaches audiences too. */
    AudienceChanges kind() {
        return kind;
    }

    private JsonNode body(Context ctx) {
        return JsonBody.read(
                mapper,
                ctx.body(),
                "{\"key\": \"big_spenders\", \"name\": \"Big spenders\", "
                        + "\"owners\": [\"marketing\"], \"condition\": \"computed.lifetime_revenue >= 500\"}");
    }
}
