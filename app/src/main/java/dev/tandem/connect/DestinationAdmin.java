package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Changes;
import dev.tandem.module.Routes;
import dev.tandem.module.Wiring;
import io.javalin.http.Context;
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
    private final DestinationChanges changes;
    private final SlaMonitor monitor;
    private final Wiring wiring;

    DestinationAdmin(
            DestinationSet destinations,
            DestinationDeclarations declarations,
            DestinationChanges changes,
            SlaMonitor monitor,
            Wiring wiring) {
        this.destinations = destinations;
        this.declarations = declarations;
        this.changes = changes;
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
        return DestinationConfigs.one(DestinationChanges.node(JsonBody.read(mapper, declaration, EXAMPLE)), rules);
    }

    // synchronized: one change at a time, so that two requests for one key cannot both pass the checks
    private synchronized void create(Context ctx) {
        ObjectNode body = body(ctx);
        String key = DestinationConfigs.one(DestinationChanges.node(body), changes.rules())
                .key();
        changes.refuseWorkspace(key);
        if (destinations.get(key) != null || declarations.exists(key)) {
            throw new Conflict(
                    "destination_exists",
                    "There is a destination '" + key + "' already; change it with PUT /v1/destinations/" + key
                            + " or choose another key.",
                    "key");
        }
        answer(ctx, key, wiring.changes().submit(changes, key, changes.check(key, body), ctx), 201);
    }

    private synchronized void change(Context ctx) {
        String key = ctx.pathParam("key");
        changes.refuseWorkspace(key);
        known(key);
        ObjectNode body = body(ctx);
        answer(ctx, key, wiring.changes().submit(changes, key, changes.check(key, body), ctx), 200);
    }

    private synchronized void delete(Context ctx) {
        String key = ctx.pathParam("key");
        changes.refuseWorkspace(key);
        known(key);
        Changes.Submitted submitted = wiring.changes().submit(changes, key, null, ctx);
        if (!submitted.applied()) {
            submitted.answerPending(ctx, "the destination '" + key + "'");
            return;
        }
        DestinationDeclarations.Deleted deleted = changes.lastDeleted();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deleted", key);
        out.put("undelivered", deleted.undelivered());
        out.put("deadLetters", deleted.deadLetters());
        out.put(
                "note",
                "Delivery stopped; the " + deleted.undelivered() + " items not delivered yet were abandoned and "
                        + "erasures no longer reach this destination. Its dead letters stay listable at "
                        + "/v1/destinations/" + key + "/dead-letters.");
        if (submitted.id() != 0) {
            out.put("change", submitted.id());
        }
        ctx.json(out);
    }

    /** Live now: the destination as it runs (with the change that made it); pending: 202 and where to follow it. */
    private void answer(Context ctx, String key, Changes.Submitted submitted, int status) {
        if (!submitted.applied()) {
            submitted.answerPending(ctx, "the destination '" + key + "'");
            return;
        }
        Map<String, Object> out = DestinationRoutes.describe(destinations.get(key), monitor, false);
        if (submitted.id() != 0) {
            out.put("change", submitted.id());
        }
        ctx.status(status).json(out);
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
        String text = JsonBody.limited(
                ctx.bodyAsBytes(), MAX_BODY, "a destination's declaration", "Shorten the mapping or the settings.");
        JsonNode body = JsonBody.read(wiring.mapper(), text, EXAMPLE);
        if (!(body instanceof ObjectNode object)) {
            throw new BadRequest("invalid_body", "Send a destination as a JSON object, such as " + EXAMPLE + ".");
        }
        return object;
    }
}
