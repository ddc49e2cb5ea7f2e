package dev.tandem.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.collect.EventTime;
import io.javalin.Javalin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/admin/tokens}: create (the token is shown once), list and delete API tokens. Behind the admin token. */
final class TokenRoutes {
    private TokenRoutes() {}

    static void register(Javalin app, ApiTokens tokens, ObjectMapper mapper) {
        app.get("/v1/admin/tokens", ctx -> ctx.json(Map.of("tokens", tokens.list().stream().map(t -> Map.of(
                "name", t.name(), "scopes", t.scopes(), "createdAt", EventTime.format(Instant.ofEpochMilli(t.createdAt())))).toList())));
        app.post("/v1/admin/tokens", ctx -> {
            JsonNode body = JsonBody.read(mapper, ctx.body(), "{\"name\": \"web\", \"scopes\": [\"profiles:read\"]}");
            List<String> scopes = new ArrayList<>();
            body.path("scopes").forEach(s -> scopes.add(s.asText()));
            String name = body.path("name").isTextual() ? body.get("name").asText() : null;
            String token = tokens.create(name, scopes);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", name);
            out.put("scopes", scopes);
            out.put("token", token);
            ctx.status(201).json(out);
        });
        app.delete("/v1/admin/tokens/{name}", ctx -> {
            tokens.delete(ctx.pathParam("name"));
            ctx.status(204);
        });
    }
}
