package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The destination routes, behind the admin token (they show what left Tandem, personal data
 * included): {@code GET /v1/destinations}, {@code GET /v1/destinations/types},
 * {@code GET /v1/destinations/{key}/health}, {@code GET /v1/destinations/{key}/dead-letters}
 * (and {@code /{id}}), {@code POST /v1/destinations/{key}/dead-letters/replay}.
 */
final class DestinationRoutes {
    static final String REPLAY_EXAMPLE = "{\"ids\": [12, 13]} (or {} for every dead letter not replayed yet)";

    private final DestinationSet destinations;
    private final SlaMonitor monitor;
    private final OutboxStore store;
    private final Connectors connectors;
    private final ObjectMapper mapper;
    private final BiConsumer<String, List<Long>> replay;

    DestinationRoutes(
            DestinationSet destinations,
            SlaMonitor monitor,
            OutboxStore store,
            Connectors connectors,
            ObjectMapper mapper,
            BiConsumer<String, List<Long>> replay) {
        this.destinations = destinations;
        this.monitor = monitor;
        this.store = store;
        this.connectors = connectors;
        this.mapper = mapper;
        this.replay = replay;
    }

    void register(Routes routes) {
        routes.get("/v1/destinations", Access.ADMIN, this::list);
        routes.get(
                "/v1/destinations/types",
                Access.ADMIN,
                ctx -> ctx.json(Map.of("types", ConnectorTypes.describe(connectors))));
        routes.get("/v1/destinations/{key}", Access.ADMIN, ctx -> {
            Destination d = destination(ctx);
            ctx.json(describe(d, monitor, destinations.declaredInWorkspace(d.key())));
        });
        routes.get("/v1/destinations/{key}/health", Access.ADMIN, ctx -> ctx.json(health(destination(ctx))));
        routes.get("/v1/destinations/{key}/dead-letters", Access.ADMIN, this::deadLetters);
        routes.get("/v1/destinations/{key}/dead-letters/{id}", Access.ADMIN, this::deadLetter);
        routes.post("/v1/destinations/{key}/dead-letters/replay", Access.ADMIN, this::replay);
    }

    private void list(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Destination d : destinations.all()) {
            out.add(describe(d, monitor, destinations.declaredInWorkspace(d.key())));
        }
        ctx.json(Map.of("destinations", out));
    }

    /** A destination as the API shows it, secrets masked; {@code declaredIn}: tandem.yaml or api. */
    static Map<String, Object> describe(Destination d, SlaMonitor monitor, boolean inWorkspace) {
        DestinationConfig c = d.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", c.key());
        m.put("type", c.connection().type().name());
        m.put("declaredIn", inWorkspace ? "tandem.yaml" : "api");
        m.put("owners", c.ownership().owners());
        m.put("purposes", c.ownership().purposes());
        m.put("riskTier", c.ownership().riskTier().wireName());
        if (!c.ownership().conditions().isNone()) {
            m.put("conditions", conditions(c.ownership().conditions()));
        }
        m.put(
                "events",
                c.subscription().events() == null
                        ? null
                        : c.subscription().events().source());
        m.put("identifies", c.subscription().identifies());
        m.put("audiences", c.subscription().audiences());
        m.put("mapping", c.subscription().mapping().described());
        m.put("settings", c.connection().settings().described());
        m.put("retryWindowSeconds", c.connection().retryWindow().toSeconds());
        m.put("sla", sla(c.sla()));
        m.put("state", monitor.evaluate(d).state());
        return m;
    }

    private static Map<String, Object> conditions(dev.tandem.govern.Qualified q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", q.hash());
        m.put("drop", q.drop());
        m.put("mask", q.mask());
        m.put(
                "expiresAt",
                q.expiresAt() == Long.MAX_VALUE
                        ? null
                        : java.time.Instant.ofEpochMilli(q.expiresAt()).toString());
        return m;
    }

    private static Map<String, Object> sla(DestinationConfig.Sla s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deliveredRatio", s.deliveredRatio());
        m.put("latencyP95Ms", s.latencyP95().toMillis());
        m.put("maxBacklogAgeMs", s.maxBacklogAge().toMillis());
        m.put("windowMs", s.window().toMillis());
        m.put("alertUrl", s.alertUrl().map(Object::toString).orElse(null));
        return m;
    }

    Map<String, Object> health(Destination d) {
        Health h = monitor.evaluate(d);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", d.key());
        m.put("state", h.state());
        m.put("reasons", h.reasons());
        m.put("deliveredRatio", h.totals().deliveredRatio());
        m.put("latencyP95Ms", h.totals().p95Millis());
        m.put("backlog", h.waiting().count());
        m.put("oldestWaitingAgeMs", oldestAge(h));
        m.put("delivered", d.stats().delivered.sum());
        m.put("retrying", h.waiting().parked());
        m.put("rejected", d.stats().rejected.sum());
        m.put("deadLettered", store.deadLetterCount(d.key()));
        m.put("denied", d.stats().denied.sum());
        m.put("attemptsInWindow", h.totals().attempts());
        m.put("budgetRemaining", h.budget().remaining());
        m.put("burnRate", h.budget().burnRate());
        m.put("breaker", d.worker().breaker().name().toLowerCase(java.util.Locale.ROOT));
        m.put("sla", sla(d.config().sla()));
        List<Map<String, Object>> history = new ArrayList<>();
        for (OutboxStore.StateChange s : store.states(d.key(), 20)) {
            history.add(Map.of(
                    "at", Instant.ofEpochMilli(s.at()).toString(), "state", s.state(), "reasons", json(s.reasons())));
        }
        m.put("history", history);
        return m;
    }

    private long oldestAge(Health h) {
        return h.waiting().oldestReceivedAt() == 0
                ? 0
                : Math.max(0, monitor.now() - h.waiting().oldestReceivedAt());
    }

    private void deadLetters(Context ctx) {
        String key = deadLettersOf(ctx);
        int limit = number(ctx.queryParam("limit"), 50, 1, 1000, "limit");
        long after = number(ctx.queryParam("after"), 0, 0, Long.MAX_VALUE, "after");
        List<DeadLetter> page = store.deadLetters(key, after, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deadLetters", page.stream().map(DestinationRoutes::render).toList());
        out.put(
                "next",
                page.size() < limit
                        ? null
                        : Long.toString(page.get(page.size() - 1).id()));
        ctx.json(out);
    }

    private void deadLetter(Context ctx) {
        String key = deadLettersOf(ctx);
        long id = number(ctx.pathParam("id"), 0, 1, Long.MAX_VALUE, "id");
        List<DeadLetter> one = store.deadLetters(key, id - 1, 1);
        if (one.isEmpty() || one.get(0).id() != id) {
            throw new NotFound(
                    "unknown_dead_letter",
                    "The destination '" + key + "' has no dead letter " + id + "; list them at /v1/destinations/" + key
                            + "/dead-letters.");
        }
        ctx.json(render(one.get(0)));
    }

    private void replay(Context ctx) {
        Destination d = destination(ctx);
        List<Long> ids = new ArrayList<>();
        if (!ctx.body().isBlank()) {
            JsonNode body = JsonBody.read(mapper, ctx.body(), REPLAY_EXAMPLE);
            JsonBody.requireObject(body, Set.of("ids"), "a replay", REPLAY_EXAMPLE);
            JsonNode list = body.get("ids");
            if (list != null) {
                if (!list.isArray() || list.size() > 10_000) {
                    throw new BadRequest(
                            "invalid_ids",
                            "'ids' must be a list of at most 10,000 dead-letter ids, such as [12, 13].",
                            "ids");
                }
                for (JsonNode id : list) {
                    if (!id.canConvertToLong() || id.asLong() < 1) {
                        throw new BadRequest(
                                "invalid_ids", "'ids' must hold dead-letter ids (whole numbers from 1).", "ids");
                    }
                    ids.add(id.asLong());
                }
            }
        }
        replay.accept(d.key(), ids);
        ctx.status(202)
                .json(Map.of(
                        "destination", d.key(), "replaying", ids.isEmpty() ? "all" : ids.size() + " dead letters"));
    }

    /** A running destination's key, or a deleted one's that left dead letters: they stay listable. */
    private String deadLettersOf(Context ctx) {
        String key = ctx.pathParam("key");
        if (destinations.get(key) == null && (key.length() > 64 || store.deadLetterCount(key) == 0)) {
            return destination(ctx).key();
        }
        return key;
    }

    private Destination destination(Context ctx) {
        String key = ctx.pathParam("key");
        Destination d = destinations.get(key);
        if (d == null) {
            throw new NotFound(
                    "unknown_destination",
                    "There is no destination '" + (key.length() > 64 ? key.substring(0, 64) + "..." : key)
                            + "'; the destinations are " + destinations.keys()
                            + " (tandem.yaml, section destinations, and POST /v1/destinations).");
        }
        return d;
    }

    private static Map<String, Object> render(DeadLetter l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("at", Instant.ofEpochMilli(l.attempt().at()).toString());
        m.put("profileId", Long.toString(l.profileId()));
        m.put("attempts", l.attempt().attempts());
        m.put("reason", l.attempt().reason());
        m.put("had", l.had());
        m.put("sent", l.sent());
        m.put("response", l.attempt().response());
        m.put(
                "replayedAt",
                l.attempt().replayedAt() == 0
                        ? null
                        : Instant.ofEpochMilli(l.attempt().replayedAt()).toString());
        return m;
    }

    private JsonNode json(String text) {
        return dev.tandem.config.JsonText.readOrText(text);
    }

    private static long number(String text, long fallback, long min, long max, String name) {
        if (text == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequest(
                "invalid_" + name,
                "'" + name + "' must be a whole number from " + min + (max == Long.MAX_VALUE ? "" : " to " + max) + ".",
                name);
    }

    private static int number(String text, int fallback, int min, int max, String name) {
        return (int) number(text, (long) fallback, min, max, name);
    }
}
