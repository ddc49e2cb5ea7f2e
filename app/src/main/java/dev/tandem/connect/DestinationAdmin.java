package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.module.Wiring;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Making, changing and deleting destinations through the admin API, behind the admin token:
 * {@code POST /v1/destinations}, {@code PUT /v1/destinations/{key}},
 * {@code DELETE /v1/destinations/{key}}. A body is a destination as tandem.yaml declares one, in
 * JSON, checked by the same reader ({@link DestinationConfigs#one}); answers show settings with
 * secrets masked. A destination made here is saved (V12) and delivers at once, without a restart;
 * those of tandem.yaml are changed only there (409). Deleting one stops it at once: what it had not
 * delivered yet is abandoned (the answer counts it), its dead letters stay listable.
 */
final class DestinationAdmin {
    static final int MAX_BODY = 64 * 1024;
    static final String EXAMPLE = "{\"key\": \"crm\", \"type\": \"webhook\", \"owners\": [\"it-integrations\"], "
            + "\"settings\": {\"url\": \"https://crm.example/hook\", \"secret\": \"${CRM_SECRET}\"}, "
            + "\"purposes\": [\"analytics\"], \"events\": \"type == 'track'\"}";

    private final DestinationSet destinations;
    private final DestinationDeclarations declarations;
    private final DestinationConfigs.Rules rules;
    private final SlaMonitor monitor;
    private final Wiring wiring;

    DestinationAdmin(
            DestinationSet destinations,
            DestinationDeclarations declarations,
            DestinationConfigs.Rules rules,
            SlaMonitor monitor,
            Wiring wiring) {
        this.destinations = destinations;
        this.declarations = declarations;
        this.rules = rules;
        this.monitor = monitor;
        this.wiring = wiring;
    }

    void register(Routes routes) {
        routes.post("/v1/destinations", Access.ADMIN, this::create);
        routes.put("/v1/destinations/{key}", Access.ADMIN, this::change);
        routes.delete("/v1/destinations/{key}", Access.ADMIN, this::delete);
    }

    /** A saved declaration read again at start; a wrong one throws the reader's error. */
    static DestinationConfig read(String key, String declaration, DestinationConfigs.Rules rules, ObjectMapper mapper) {
        return DestinationConfigs.one(node(JsonBody.read(mapper, declaration, EXAMPLE)), rules);
    }

    // synchronized: one change at a time, so that two requests for one key cannot both pass the checks
    private synchronized void create(Context ctx) {
        ObjectNode body = body(ctx);
        DestinationConfig config = DestinationConfigs.one(node(body), rules);
        String key = config.key();
        refuseWorkspace(key);
        if (destinations.get(key) != null || declarations.exists(key)) {
            throw new Conflict(
                    "destination_exists",
                    "There is a destination '" + key + "' already; change it with PUT /v1/destinations/" + key
                            + " or choose another key.",
                    "key");
        }
        declarations.create(key, body.toString(), wiring.clock().millis());
        Destination d = destinations.put(config);
        ctx.status(201).json(DestinationRoutes.describe(d, monitor, false));
    }

    private synchronized void change(Context ctx) {
        String key = ctx.pathParam("key");
        refuseWorkspace(key);
        known(key);
        ObjectNode body = body(ctx);
        JsonNode named = body.get("key");
        if (named != null && !key.equals(named.asText())) {
            throw new BadRequest(
                    "key_mismatch",
                    "The body names '" + named.asText() + "' but the path '" + key
                            + "'; a key cannot change: delete the destination and create one with the new key.",
                    "key");
        }
        body.put("key", key);
        DestinationConfig config = DestinationConfigs.one(node(body), rules);
        declarations.update(key, body.toString(), wiring.clock().millis());
        Destination d = destinations.put(config);
        ctx.json(DestinationRoutes.describe(d, monitor, false));
    }

    private synchronized void delete(Context ctx) {
        String key = ctx.pathParam("key");
        refuseWorkspace(key);
        known(key);
        destinations.remove(key);
        DestinationDeclarations.Deleted deleted = declarations.delete(key);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deleted", key);
        out.put("undelivered", deleted.undelivered());
        out.put("deadLetters", deleted.deadLetters());
        out.put(
                "note",
                "Delivery stopped; the " + deleted.undelivered() + " items not delivered yet were abandoned and "
                        + "erasures no longer reach this destination. Its dead letters stay listable at "
                        + "/v1/destinations/" + key + "/dead-letters.");
        ctx.json(out);
    }

    private void refuseWorkspace(String key) {
        if (destinations.declaredInWorkspace(key)) {
            throw new Conflict(
                    "declared_in_workspace",
                    "The destination '" + key
                            + "' is declared in tandem.yaml; edit it there and restart: the API changes only destinations it made.",
                    "key");
        }
    }

    private void known(String key) {
        if (key.length() > 64 || !declarations.exists(key)) {
            throw new NotFound(
                    "unknown_destination",
                    "There is no destination '" + (key.length() > 64 ? key.substring(0, 64) + "..." : key)
                            + "' made through the API; create one with POST /v1/destinations.");
        }
    }

    private ObjectNode body(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length > MAX_BODY) {
            throw new BadRequest(
                    "body_too_large",
                    "The body has " + raw.length + " bytes; a destination's declaration may have at most " + MAX_BODY
                            + ". Shorten the mapping or the settings.");
        }
        JsonNode body = JsonBody.read(wiring.mapper(), new String(raw, StandardCharsets.UTF_8), EXAMPLE);
        if (!(body instanceof ObjectNode object)) {
            throw new BadRequest("invalid_body", "Send a destination as a JSON object, such as " + EXAMPLE + ".");
        }
        return object;
    }

    /** The body read as tandem.yaml is: a wrong value is a 400 naming its field, such as settings.secret. */
    private static ConfigNode node(JsonNode body) {
        return new ConfigNode(
                body,
                "",
                (path, problem) -> new BadRequest(
                        "invalid_destination",
                        capitalised(problem),
                        path.isEmpty() ? null : path.substring(1).replace('/', '.')));
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
