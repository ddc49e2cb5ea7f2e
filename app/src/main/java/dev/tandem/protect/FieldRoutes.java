package dev.tandem.protect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/**
 * For stewards (admin token): {@code GET /v1/admin/fields[?status=unreviewed]} lists every field
 * seen with its class and why; {@code PUT /v1/admin/fields/{path}} with {@code {"class": ...}}
 * records a steward's class; {@code GET /v1/admin/removals} shows what was removed at collection,
 * by source, path and reason, with counts.
 */
final class FieldRoutes {
    private static final String EXAMPLE = "{\"class\": \"personal\"}";

    private final FieldCatalog catalog;
    private final Classification rules;
    private final ObjectMapper mapper;

    public FieldRoutes(FieldCatalog catalog, Classification rules, ObjectMapper mapper) {
        this.catalog = catalog;
        this.rules = rules;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get("/v1/admin/fields", Access.ADMIN, this::list);
        routes.put("/v1/admin/fields/{path}", Access.ADMIN, this::review);
        routes.get("/v1/admin/removals", Access.ADMIN, ctx -> ctx.json(Map.of("removals", catalog.removalLog())));
    }

    private void list(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !status.equals("unreviewed") && !status.equals("all")) {
            throw new BadRequest(
                    "invalid_status",
                    "'status' is 'unreviewed' (fields no rule or steward has classified) or 'all'.",
                    "status");
        }
        ctx.json(Map.of("fields", catalog.fields("unreviewed".equals(status))));
    }

    private void review(Context ctx) {
        String path = ctx.pathParam("path");
        if (!path.matches("(traits|properties|context)(\\.[^.]+)+")) {
            throw new BadRequest(
                    "invalid_path",
                    "'" + path + "' is not a field path; use one such as properties.loyalty_number.",
                    "path");
        }
        if (rules.paths().containsKey(path)) {
            throw new Conflict(
                    "declared_in_workspace",
                    "tandem.yaml declares the class of " + path + "; change it there.",
                    "path");
        }
        JsonNode body = JsonBody.read(mapper, ctx.body(), EXAMPLE);
        JsonBody.requireObject(body, Set.of("class"), "a review", EXAMPLE);
        FieldClass c = FieldClass.named(body.path("class").asText());
        if (c == null) {
            throw new BadRequest("invalid_class", "'class' must be restricted, personal or general.", "class");
        }
        catalog.review(path, c);
        ctx.json(Map.of("path", path, "class", c.wireName(), "classifiedBy", "reviewed by a steward"));
    }
}
