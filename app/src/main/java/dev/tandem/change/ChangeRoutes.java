package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.module.Access;
import dev.tandem.module.Changeable;
import dev.tandem.module.Changes;
import dev.tandem.module.Routes;
import dev.tandem.wire.Cursors;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/changes}: the changes of workspace objects, proposed, approved, rejected, withdrawn.
 * Reading needs {@code changes:read} (every role holds it); proposing and judging need
 * {@code changes:write} (every role but analyst), and a verdict needs a person (signed in, or their
 * own token): the admin token proposes but never approves.
 */
final class ChangeRoutes {
    static final Access READ = Access.scope("changes:read");
    static final Access WRITE = Access.scope("changes:write");
    static final int MAX_BODY = 256 * 1024;
    private static final Cursors CURSORS = Cursors.READ_BACK;
    private static final String PROPOSAL = "{\"kind\": \"destination\", \"key\": \"crm\", \"declaration\": {...}} "
            + "or {\"kind\": \"destination\", \"key\": \"crm\", \"remove\": true}";
    private static final String PLAN =
            "{\"objects\": {\"destination\": {\"crm\": {...}}, \"audience\": {...}}, \"prune\": false}";
    private static final String VERDICT =
            "{\"comment\": \"checked with legal\", \"conditions\": " + Conditions.EXAMPLE + "}";

    private final ChangeFlow flow;
    private final ChangeStore store;
    private final ObjectMapper mapper;

    ChangeRoutes(ChangeFlow flow, ChangeStore store, ObjectMapper mapper) {
        this.flow = flow;
        this.store = store;
        this.mapper = mapper;
    }

    void register(Routes routes) {
        routes.get("/v1/workspace", READ, this::export);
        routes.post("/v1/workspace/plan", READ, this::plan);
        routes.get("/v1/changes", READ, this::list);
        routes.get(
                "/v1/changes/{id}",
                READ,
                ctx -> ctx.json(json(store.find(id(ctx)).orElseThrow(() -> unknown(ctx)))));
        routes.post("/v1/changes", WRITE, this::propose);
        routes.put("/v1/changes/{id}", WRITE, ctx -> {
            JsonNode body = body(ctx, Set.of("declaration", "remove"), PROPOSAL);
            ctx.json(json(flow.amend(id(ctx), declaration(body), ctx)));
        });
        routes.post("/v1/changes/{id}/approve", WRITE, ctx -> {
            JsonNode body = body(ctx, Set.of("conditions", "comment"), VERDICT);
            ctx.json(json(flow.approve(id(ctx), body.get("conditions"), comment(body), ctx)));
        });
        routes.post("/v1/changes/{id}/reject", WRITE, ctx -> {
            JsonNode body = body(ctx, Set.of("comment"), VERDICT);
            ctx.json(json(flow.reject(id(ctx), comment(body), ctx)));
        });
        routes.post("/v1/changes/{id}/withdraw", WRITE, ctx -> {
            body(ctx, Set.of(), "{}");
            ctx.json(json(flow.withdraw(id(ctx), ctx)));
        });
    }

    /** The live objects: those the API changes by kind and key, and tandem.yaml's as last applied. */
    private void export(Context ctx) {
        Map<String, Object> api = new LinkedHashMap<>();
        flow.targets().forEach((kind, target) -> api.put(kind, target.all()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("objects", api);
        Map<String, Map<String, JsonNode>> file = store.applied();
        file.remove("workspace"); // the first start's marker, not an object
        out.put("file", file);
        ctx.json(out);
    }

    /** {@code {"objects": {"destination": {"crm": {...}}}, "prune": false}}: what proposing each would be, nothing proposed. */
    private void plan(Context ctx) {
        JsonNode body = body(ctx, Set.of("objects", "prune"), PLAN);
        JsonNode objects = body.get("objects");
        if (objects == null || !objects.isObject()) {
            throw new BadRequest("missing_objects", "'objects' is required: " + PLAN + ".", "objects");
        }
        boolean prune = body.path("prune").asBoolean(false);
        List<Map<String, Object>> items = new ArrayList<>();
        for (var kind : objects.properties()) {
            Changeable target = flow.target(kind.getKey());
            if (!kind.getValue().isObject()) {
                throw new BadRequest(
                        "invalid_objects",
                        "Each kind maps keys to declarations: " + PLAN + ".",
                        "objects." + kind.getKey());
            }
            for (var object : kind.getValue().properties()) {
                if (!object.getKey().matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                    throw new BadRequest(
                            "invalid_key",
                            "'" + object.getKey()
                                    + "' is not a key: lower-case letters, digits, '-' and '_', at most 64.",
                            "objects." + kind.getKey());
                }
                items.add(flow.plan(target, object.getKey(), object.getValue(), ctx));
            }
            if (prune) {
                for (String live : target.all().keySet()) {
                    if (!kind.getValue().has(live)) {
                        items.add(flow.plan(target, live, null, ctx));
                    }
                }
            }
        }
        ctx.json(Map.of("plan", items));
    }

    private void list(Context ctx) {
        String s = ctx.queryParam("status");
        Status status = s == null
                ? null
                : Status.named(s)
                        .orElseThrow(() -> new BadRequest(
                                "invalid_status",
                                "'status' is one of "
                                        + java.util.Arrays.stream(Status.values())
                                                .map(Status::wireName)
                                                .toList() + ".",
                                "status"));
        String kind = ctx.queryParam("kind");
        if (kind != null && !kind.matches("[a-z][a-zA-Z]{0,31}")) {
            throw new BadRequest(
                    "invalid_kind", "'kind' is a kind of object, such as destination, audience or policy.", "kind");
        }
        long after = CURSORS.after(ctx);
        int limit = CURSORS.limit(ctx);
        List<Change> page = store.page(status, kind, after, limit + 1);
        List<Map<String, Object>> items = new ArrayList<>();
        page.stream().limit(limit).forEach(c -> items.add(json(c)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("changes", items);
        out.put("next", page.size() > limit ? Cursors.cursor(page.get(limit - 1).id()) : null);
        ctx.json(out);
    }

    private void propose(Context ctx) {
        JsonNode body = body(ctx, Set.of("kind", "key", "declaration", "remove"), PROPOSAL);
        Changeable target = flow.target(text(body, "kind"));
        String key = text(body, "key");
        if (!key.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new BadRequest(
                    "invalid_key",
                    "'key' is lower-case letters, digits, '-' and '_', at most 64, such as 'crm'.",
                    "key");
        }
        JsonNode declaration = declaration(body);
        JsonNode checked = declaration == null ? null : target.check(key, declaration);
        Changes.Submitted submitted = flow.submit(target, key, checked, ctx);
        if (submitted.id() == 0) {
            ctx.json(Map.of("status", "unchanged", "note", "The " + target.kind() + " '" + key + "' is already so."));
            return;
        }
        Change c = store.find(submitted.id()).orElseThrow();
        ctx.status(submitted.applied() ? 201 : 202).json(json(c));
    }

    private Map<String, Object> json(Change c) {
        return ChangeJson.of(c, flow.keys(), flow.rules());
    }

    private static JsonNode declaration(JsonNode body) {
        boolean remove = body.has("remove");
        if (remove && !body.get("remove").isBoolean()) {
            throw new BadRequest("invalid_remove", "'remove' is true (or left out).", "remove");
        }
        if (remove && body.get("remove").asBoolean()) {
            if (body.has("declaration")) {
                throw new BadRequest(
                        "invalid_body", "Send either a 'declaration' or 'remove': true, not both.", "declaration");
            }
            return null;
        }
        JsonNode d = body.get("declaration");
        if (d == null || !d.isObject()) {
            throw new BadRequest(
                    "missing_declaration",
                    "'declaration' is the object as it should be, a JSON object (or send \"remove\": true).",
                    "declaration");
        }
        return d;
    }

    private static String comment(JsonNode body) {
        JsonNode c = body.get("comment");
        if (c == null || c.isNull()) {
            return null;
        }
        if (!c.isTextual() || c.asText().length() > 2_000) {
            throw new BadRequest("invalid_comment", "'comment' is text of at most 2,000 characters.", "comment");
        }
        return c.asText();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new BadRequest(
                    "missing_" + field, "'" + field + "' is required, as text; send " + PROPOSAL + ".", field);
        }
        return v.asText();
    }

    private JsonNode body(Context ctx, Set<String> fields, String example) {
        String text = JsonBody.limited(ctx.bodyAsBytes(), MAX_BODY, "a change", "");
        JsonNode body = text.isBlank() ? mapper.createObjectNode() : JsonBody.read(mapper, text, example);
        JsonBody.requireObject(body, fields, "a change", example);
        return body;
    }

    private static long id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!id.matches("[0-9]{1,18}")) {
            throw new BadRequest("invalid_id", "A change id is a number, such as 12; see GET /v1/changes.", "id");
        }
        return Long.parseLong(id);
    }

    private static RuntimeException unknown(Context ctx) {
        return new dev.tandem.error.NotFound(
                "unknown_change", "There is no change " + ctx.pathParam("id") + "; see GET /v1/changes.");
    }
}
