package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.Map;

/** {@code GET} and {@code PUT /v1/admin/sources/{name}/origins}: the browser origins a source accepts; admin token. */
final class SourceOriginRoutes {
    private final Sources sources;
    private final SourceOrigins origins;
    private final ObjectMapper mapper;

    public SourceOriginRoutes(Sources sources, SourceOrigins origins, ObjectMapper mapper) {
        this.sources = sources;
        this.origins = origins;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get(
                "/v1/admin/sources/{name}/origins",
                Access.ADMIN,
                ctx -> ctx.json(answer(source(ctx), origins.of(source(ctx)))));
        routes.put("/v1/admin/sources/{name}/origins", Access.ADMIN, ctx -> {
            Source source = source(ctx);
            JsonNode body = JsonBody.read(mapper, ctx.body(), "{\"origins\": [\"https://shop.example.com\"]}");
            if (body == null || !body.isObject()) {
                throw new BadRequest(
                        "invalid_body", "Send {\"origins\": [\"https://shop.example.com\"]}; [] accepts any origin.");
            }
            ctx.json(answer(source, origins.replace(source, SourceOrigins.texts(body.get("origins")))));
        });
    }

    private static Map<String, Object> answer(Source source, java.util.List<String> list) {
        return Map.of("source", source.name(), "origins", list, "anyOrigin", list.isEmpty());
    }

    private Source source(Context ctx) {
        return sources.byName(ctx.pathParam("name"))
                .orElseThrow(() -> new NotFound(
                        "unknown_source",
                        "No source is called '" + ctx.pathParam("name") + "'; list them with GET /v1/admin/sources."));
    }
}
