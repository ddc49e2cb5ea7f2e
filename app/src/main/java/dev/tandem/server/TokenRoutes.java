package dev.tandem.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditLog;
import dev.tandem.config.JsonBody;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.people.People;
import dev.tandem.people.Sessions;
import dev.tandem.wire.EventTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/admin/tokens}: create (the token is shown once), list and delete API tokens. Behind the admin token. */
final class TokenRoutes {
    private TokenRoutes() {}

    static void register(Routes routes, ApiTokens tokens, Sessions sessions, AuditLog audit, ObjectMapper mapper) {
        // a signed-in person's own tokens: within their role, checked against it at every use
        routes.post("/v1/session/tokens", Access.OPEN, ctx -> {
            People.SignedIn who = sessions.require(ctx);
            String example =
                    "{\"name\": \"ann-laptop\", \"scopes\": [\"profiles:read\"], \"purposes\": [\"analytics\"]}";
            JsonNode body = JsonBody.read(mapper, ctx.body(), example);
            JsonBody.requireObject(body, java.util.Set.of("name", "scopes", "purposes"), "a token", example);
            List<String> scopes = texts(body.path("scopes"));
            List<String> purposes = texts(body.path("purposes"));
            String name = body.path("name").isTextual() ? body.get("name").asText() : null;
            String token = tokens.create(name, new ApiTokens.Grant(scopes, null, purposes), who.person());
            audit.append(
                    who.person().caller(),
                    AuditKind.TOKEN_CREATED,
                    "token:" + name,
                    Map.of(
                            "scopes",
                            scopes,
                            "purposes",
                            purposes,
                            "owner",
                            who.person().name()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", name);
            out.put("scopes", scopes);
            out.put("role", who.person().role().wireName());
            out.put("owner", who.person().name());
            out.put("purposes", purposes);
            out.put("token", token);
            ctx.status(201).json(out);
        });
        routes.get(
                "/v1/admin/tokens",
                Access.ADMIN,
                ctx -> ctx.json(Map.of(
                        "tokens",
                        tokens.list().stream()
                                .map(t -> Map.of(
                                        "name",
                                        t.name(),
                                        "scopes",
                                        t.scopes(),
                                        "role",
                                        t.role(),
                                        "purposes",
                                        t.purposes(),
                                        "owner",
                                        t.owner() == null ? "" : t.owner(),
                                        "createdAt",
                                        EventTime.format(Instant.ofEpochMilli(t.createdAt()))))
                                .toList())));
        routes.post("/v1/admin/tokens", Access.ADMIN, ctx -> {
            String example =
                    "{\"name\": \"web\", \"scopes\": [\"profiles:read\"], \"role\": \"marketer\", \"purposes\": [\"personalization\"]}";
            JsonNode body = JsonBody.read(mapper, ctx.body(), example);
            JsonBody.requireObject(body, java.util.Set.of("name", "scopes", "role", "purposes"), "a token", example);
            List<String> scopes = texts(body.path("scopes"));
            List<String> purposes = texts(body.path("purposes"));
            String name = body.path("name").isTextual() ? body.get("name").asText() : null;
            String role = body.path("role").isTextual() ? body.get("role").asText() : null;
            String token = tokens.create(name, new ApiTokens.Grant(scopes, role, purposes));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", name);
            out.put("scopes", scopes);
            out.put("role", role == null ? "" : role);
            out.put("purposes", purposes);
            out.put("token", token);
            ctx.status(201).json(out);
        });
        routes.delete("/v1/admin/tokens/{name}", Access.ADMIN, ctx -> {
            tokens.delete(ctx.pathParam("name"));
            ctx.status(204);
        });
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(s -> out.add(s.asText()));
        return out;
    }
}
