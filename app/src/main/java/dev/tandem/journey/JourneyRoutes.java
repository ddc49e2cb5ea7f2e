package dev.tandem.journey;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.decide.ExperimentResults;
import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.time.Clock;

/**
 * {@code GET /v1/journeys}, {@code /v1/journeys/{key}}, {@code /stats} (scope {@code journeys:read}),
 * {@code /instances?profile=} (and {@code profiles:read}); {@code POST /v1/journeys/{key}/pause}, {@code /resume} and
 * {@code /dryrun?days=} (admin).
 */
final class JourneyRoutes {
    private final JourneyBook book;
    private final JourneyStore store;
    private final DryRun dryRun;
    private final Runnable wake;
    private final ObjectMapper mapper;
    private final Clock clock;

    private final java.util.function.ToLongFunction<String> profiles;

    /** @param profiles the profile a {@code <type>:<value>} names, as the Profile API reads it */
    JourneyRoutes(
            JourneyBook book,
            JourneyStore store,
            DryRun dryRun,
            Runnable wake,
            ObjectMapper mapper,
            Clock clock,
            java.util.function.ToLongFunction<String> profiles) {
        this.profiles = profiles;
        this.book = book;
        this.store = store;
        this.dryRun = dryRun;
        this.wake = wake;
        this.mapper = mapper;
        this.clock = clock;
    }

    void register(Routes routes) {
        Access read = Access.scope("journeys:read");
        routes.get("/v1/journeys", read, ctx -> {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode list = body.putArray("journeys");
            book.all().forEach(v -> summary(v, list.addObject()));
            ctx.json(body);
        });
        routes.get("/v1/journeys/{key}", read, ctx -> {
            JourneyBook.Versioned v = journey(ctx);
            ObjectNode body = summary(v, mapper.createObjectNode());
            body.set("declaration", v.journey().definition().declaration());
            ArrayNode steps = body.putArray("steps");
            v.journey().paths().forEach(p -> steps.addObject().put("step", p[0]).put("kind", p[1]));
            ctx.json(body);
        });
        routes.get("/v1/journeys/{key}/stats", read, this::stats);
        // an instance list tells which journeys a profile is in: the profile's data as much as the journey's
        routes.get("/v1/journeys/{key}/instances", Access.scopes("journeys:read", "profiles:read"), ctx -> {
            JourneyBook.Versioned v = journey(ctx);
            String profile = ctx.queryParam("profile");
            if (profile == null || profile.isBlank()) {
                throw new BadRequest(
                        "missing_profile",
                        "Give ?profile= as '<type>:<value>', such as 'user_id:u-42' or 'profile_id:17'.",
                        "profile");
            }
            long id;
            try {
                id = profiles.applyAsLong(profile);
            } catch (BadRequest e) {
                throw new BadRequest(e.code(), e.getMessage(), "profile");
            }
            ObjectNode body =
                    mapper.createObjectNode().put("journey", v.journey().key()).put("profile", Long.toString(id));
            ArrayNode list = body.putArray("instances");
            for (Instance i : store.ofProfile(v.journey().key(), id)) {
                ObjectNode o = list.addObject()
                        .put("entryKey", i.entryKey())
                        .put("version", i.version())
                        .put("step", i.step())
                        .put("status", i.status())
                        .put("holdout", i.holdout())
                        .put(
                                "enteredAt",
                                java.time.Instant.ofEpochMilli(i.enteredAt()).toString());
                if (i.dueAt() != null) {
                    o.put("dueAt", java.time.Instant.ofEpochMilli(i.dueAt()).toString());
                }
                if (i.exitReason() != null) {
                    o.put("exitReason", i.exitReason());
                }
                o.put("converted", i.convertedAt() != null);
            }
            ctx.json(body);
        });
        routes.post("/v1/journeys/{key}/pause", Access.ADMIN, ctx -> {
            JourneyBook.Versioned v = journey(ctx);
            book.setPaused(v.journey().key(), true, clock.millis());
            ctx.json(summary(v, mapper.createObjectNode()));
        });
        routes.post("/v1/journeys/{key}/resume", Access.ADMIN, ctx -> {
            JourneyBook.Versioned v = journey(ctx);
            book.setPaused(v.journey().key(), false, clock.millis());
            wake.run();
            ctx.json(summary(v, mapper.createObjectNode()));
        });
        routes.post("/v1/journeys/{key}/dryrun", Access.ADMIN, ctx -> {
            JourneyBook.Versioned v = journey(ctx);
            String days = ctx.queryParam("days");
            int n;
            try {
                n = days == null ? 7 : Integer.parseInt(days);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 400) {
                throw new BadRequest(
                        "invalid_days", "?days= must be a whole number of days from 1 to 400 (default 7).", "days");
            }
            ctx.json(dryRun.run(v, n));
        });
    }

    private JourneyBook.Versioned journey(Context ctx) {
        String key = ctx.pathParam("key");
        JourneyBook.Versioned v = book.current(key);
        if (v == null) {
            throw new NotFound(
                    "journey_not_found", "No journey has the key '" + key + "'; GET /v1/journeys lists them.");
        }
        return v;
    }

    private ObjectNode summary(JourneyBook.Versioned v, ObjectNode o) {
        JourneyDefinition d = v.journey().definition();
        o.put("key", d.key()).put("name", d.name()).put("version", v.version());
        d.owners().forEach(o.withArray("owners")::add);
        o.put("status", book.paused(d.key()) ? "paused" : "live");
        o.put("origin", book.inWorkspace(d.key()) ? "workspace" : "change");
        o.put("holdout", d.holdout());
        o.put(
                "reentry",
                d.reentry().rule()
                        + (d.reentry().after() == null ? "" : " " + d.reentry().after()));
        o.put("entry", d.entry().describe());
        return o;
    }

    private void stats(Context ctx) {
        JourneyBook.Versioned v = journey(ctx);
        int version = v.version();
        String asked = ctx.queryParam("version");
        if (asked != null) {
            try {
                version = Integer.parseInt(asked);
            } catch (NumberFormatException e) {
                throw new BadRequest("invalid_version", "?version= must be a version number, such as 1.", "version");
            }
            if (book.at(v.journey().key(), version) == null) {
                throw new NotFound(
                        "version_not_found", "Journey '" + v.journey().key() + "' has no version " + version + ".");
            }
        }
        Journey journey = book.at(v.journey().key(), version);
        ObjectNode body =
                mapper.createObjectNode().put("journey", v.journey().key()).put("version", version);
        store.tally(v.journey().key(), version).render(journey, body.putArray("steps"));
        long[][] c = store.conversion(v.journey().key());
        ObjectNode goal = body.putObject("goal");
        goal.putObject("journey").put("entered", c[0][0]).put("converted", c[0][1]);
        goal.putObject("holdout").put("entered", c[1][0]).put("converted", c[1][1]);
        if (c[0][0] > 0 && c[1][0] > 0) {
            ExperimentResults.Comparison cmp = ExperimentResults.compare(c[0][1], c[0][0], c[1][1], c[1][0]);
            goal.put("uplift", cmp.difference())
                    .put("low", cmp.low())
                    .put("high", cmp.high())
                    .put("pValue", cmp.pValue());
            goal.put("confidence", 0.95).put("test", "two-proportion z-test; interval: Wald, unpooled");
        }
        ctx.json(body);
    }
}
