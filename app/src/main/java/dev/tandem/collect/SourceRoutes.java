package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.Map;

/** {@code GET /v1/admin/sources} and {@code POST /v1/admin/sources}; the server guards them with the admin token. */
final class SourceRoutes {
    private final Sources sources;
    private final ObjectMapper mapper;

    public SourceRoutes(Sources sources, ObjectMapper mapper) {
        this.sources = sources;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get("/v1/admin/sources", Access.ADMIN, ctx -> ctx.json(Map.of("sources", sources.list())));
        routes.post("/v1/admin/sources", Access.ADMIN, this::create);
    }

    private void create(Context ctx) {
        JsonNode body = JsonBody.read(mapper, ctx.body(), "{\"name\": \"web\"}");
        if (body == null || !body.isObject()) {
            throw new BadRequest("invalid_body", "Send a JSON object such as {\"name\": \"web\"}.");
        }
        JsonNode name = body.get("name");
        JsonNode writeKey = body.get("writeKey");
        if (writeKey != null && !writeKey.isNull() && !writeKey.isTextual()) {
            throw new BadRequest("invalid_write_key", "'writeKey' must be a string.", "writeKey");
        }
        Source source = sources.create(new SourceDeclaration(
                name == null || !name.isTextual() ? null : name.asText(),
                writeKey == null || writeKey.isNull() ? null : writeKey.asText()));
        ctx.status(201).json(source);
    }
}
