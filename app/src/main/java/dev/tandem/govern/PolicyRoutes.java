package dev.tandem.govern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For stewards (admin token): {@code GET /v1/admin/policy} lists the rules in force;
 * {@code POST /v1/admin/policy/check} asks the gate about one flow, subject and payload, exactly
 * as a destination delivery will; {@code GET /v1/admin/policy/log} shows the latest decisions
 * other than a plain allow.
 */
final class PolicyRoutes {
    static final String EXAMPLE =
            "{\"flow\": {\"kind\": \"destination\", \"name\": \"ads\", \"purposes\": [\"advertising\"], "
                    + "\"riskTier\": \"high\"}, \"subject\": \"email:ann@example.com\", \"payload\": {\"traits\": {\"email\": \"ann@example.com\"}}}";

    private final Gate gate;
    private final Subjects subjects;
    private final GateLog log;
    private final ObjectMapper mapper;

    public PolicyRoutes(Gate gate, Subjects subjects, GateLog log, ObjectMapper mapper) {
        this.gate = gate;
        this.subjects = subjects;
        this.log = log;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get(
                "/v1/admin/policy",
                Access.ADMIN,
                ctx -> ctx.json(Map.of(
                        "rules",
                        gate.policy().rules().stream()
                                .map(PolicyRoutes::describe)
                                .toList())));
        routes.post("/v1/admin/policy/check", Access.ADMIN, this::check);
        routes.get("/v1/admin/policy/log", Access.ADMIN, ctx -> ctx.json(Map.of("decisions", log.latest(limit(ctx)))));
    }

    private void check(Context ctx) {
        JsonNode body = JsonBody.read(mapper, ctx.body(), EXAMPLE);
        JsonBody.requireObject(body, Set.of("flow", "subject", "payload"), "a policy check", EXAMPLE);
        Flow flow = flow(body.get("flow"));
        Subject subject =
                body.hasNonNull("subject") ? subjects.of(body.get("subject").asText()) : Subject.NONE;
        JsonNode payload = body.get("payload");
        if (payload != null && !payload.isObject()) {
            throw new BadRequest(
                    "invalid_payload",
                    "'payload' must be an object such as an event or {\"traits\": {...}}.",
                    "payload");
        }
        ctx.json(render(
                gate.decide(flow, subject, payload == null ? mapper.createObjectNode() : (ObjectNode) payload),
                subject));
    }

    /** A flow from JSON: kind, name, purposes, riskTier, region, role. */
    static Flow flow(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new BadRequest(
                    "invalid_flow",
                    "'flow' must be an object such as {\"kind\": \"destination\", \"name\": \"ads\", "
                            + "\"purposes\": [\"advertising\"]}.",
                    "flow");
        }
        JsonBody.requireObject(
                node, Set.of("kind", "name", "purposes", "riskTier", "region", "role"), "a flow", EXAMPLE);
        Flow.Kind kind = Flow.Kind.named(node.path("kind").asText(""));
        if (kind == null) {
            throw new BadRequest(
                    "invalid_flow", "'flow.kind' must be one of " + Flow.Kind.WIRE_NAMES + ".", "flow.kind");
        }
        Flow.RiskTier tier = Flow.RiskTier.named(node.path("riskTier").asText("medium"));
        if (tier == null) {
            throw new BadRequest(
                    "invalid_flow",
                    "'flow.riskTier' must be one of " + Flow.RiskTier.WIRE_NAMES + ".",
                    "flow.riskTier");
        }
        List<String> purposes = new ArrayList<>();
        node.path("purposes").forEach(p -> purposes.add(p.asText()));
        return new Flow(
                kind,
                node.path("name").asText(kind.wireName()),
                purposes,
                tier,
                node.path("region").asText(""),
                node.path("role").asText(""));
    }

    static Map<String, Object> render(Decision d, Subject subject) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", d.name());
        out.put("subject", subject.profileId() == 0 ? null : Long.toString(subject.profileId()));
        out.put("reasons", d.reasons());
        out.put("payload", d.payload());
        return out;
    }

    private static Map<String, Object> describe(PolicyRule r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("effect", r.effect().wireName());
        out.put("when", r.when() == null ? null : r.when().source());
        out.put("fields", r.fields() == null ? null : r.fields().source());
        out.put("reason", r.reason());
        return out;
    }

    private static int limit(Context ctx) {
        String n = ctx.queryParam("limit");
        try {
            int limit = n == null ? 50 : Integer.parseInt(n);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequest("invalid_limit", "'limit' must be a whole number from 1 to 1000.", "limit");
    }
}
