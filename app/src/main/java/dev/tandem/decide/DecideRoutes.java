package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.Source;
import dev.tandem.collect.Sources;
import dev.tandem.config.JsonBody;
import dev.tandem.error.Forbidden;
import dev.tandem.error.NotFound;
import dev.tandem.error.Unauthorized;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.wire.WriteKeys;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;

/**
 * {@code POST /v1/decide}, called like the tracking API with a source's write key (HTTP Basic
 * user name), so a web page or app can call it for visitors Tandem does not know yet;
 * {@code GET /v1/experiments/{key}/results} (scope {@code experiments:read}); and
 * {@code GET /v1/admin/placements}.
 *
 * <p>A write key is public, so with one decide answers the variant and its content only, at most
 * {@link DecideRate} a second, and for a known user only with a {@link UserTokens user token}
 * the site's backend signed. An API token with {@code decide:explain} (as {@code Authorization:
 * Bearer}) also gets the profile id and the reasons. The source's decide secret is made and shown
 * by {@code POST} and {@code GET /v1/admin/sources/{name}/decide-secret}.
 */
final class DecideRoutes {
    private static final int MAX_BODY = 32 * 1024;
    private static final String EXAMPLE = "{\"placement\": \"home_hero\", \"anonymousId\": \"a-1\"}";
    private final Decider decider;
    private final Sources sources;
    private final ExperimentStore store;
    private final DecideSecrets secrets;
    private final UserTokens userTokens;
    private final DecideRate.Buckets rate;
    private final Handler explainers;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final dev.tandem.collect.BodyReader bodies;

    /**
     * @param explainers the check that lets through API tokens with {@code decide:explain}, throwing for any other
     */
    public DecideRoutes(
            Decider decider,
            Sources sources,
            org.jdbi.v3.core.Jdbi jdbi,
            ObjectMapper mapper,
            Handler explainers,
            DecideRate rate,
            Clock clock,
            dev.tandem.collect.BodyReader bodies) {
        this.bodies = bodies;
        this.decider = decider;
        this.sources = sources;
        this.store = new ExperimentStore(jdbi);
        this.secrets = new DecideSecrets(jdbi, clock);
        this.userTokens = new UserTokens(mapper);
        this.rate = new DecideRate.Buckets(rate, clock);
        this.explainers = explainers;
        this.clock = clock;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.post("/v1/decide", Access.OPEN, this::decide);
        routes.post("/v1/admin/sources/{name}/decide-secret", Access.ADMIN, ctx -> {
            Source source = sourceNamed(ctx);
            ctx.status(201).json(secret(source, secrets.rotate(source)));
        });
        routes.get("/v1/admin/sources/{name}/decide-secret", Access.ADMIN, ctx -> {
            Source source = sourceNamed(ctx);
            ctx.json(secret(
                    source,
                    secrets.of(source)
                            .orElseThrow(() -> new NotFound(
                                    "no_decide_secret",
                                    "Source '" + source.name()
                                            + "' has no decide secret yet; create one with POST /v1/admin/sources/"
                                            + source.name() + "/decide-secret."))));
        });
        routes.get("/v1/experiments/{key}/results", Access.scope("experiments:read"), this::results);
        routes.get("/v1/admin/placements", Access.ADMIN, ctx -> {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode list = body.putArray("placements");
            for (Placement p : decider.placements()) {
                ObjectNode o = list.addObject().put("key", p.key()).put("name", p.name());
                p.owners().forEach(o.putArray("owners")::add);
                ArrayNode rules = o.putArray("rules");
                p.rules()
                        .forEach(r -> rules.addObject()
                                .put("name", r.name())
                                .put("when", r.when().source())
                                .put("variant", r.variant().key()));
                o.put("default", p.fallback().key());
                if (p.experiment() != null) {
                    o.putObject("experiment")
                            .put("key", p.experiment().key())
                            .put("goal", p.experiment().goal());
                }
            }
            ctx.json(body);
        });
    }

    private void results(Context ctx) {
        String key = ctx.pathParam("key");
        Experiment e = decider.placements().stream()
                .map(Placement::experiment)
                .filter(x -> x != null && x.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new NotFound(
                        "experiment_not_found",
                        "No placement runs an experiment with the key '" + key
                                + "'; GET /v1/admin/placements lists them."));
        ObjectNode body = mapper.createObjectNode()
                .put("experiment", e.key())
                .put("name", e.name())
                .put("goal", e.goal())
                .put("confidence", 0.95)
                .put("test", "two-proportion z-test; interval: Wald, unpooled");
        ArrayNode arms = body.putArray("arms");
        for (ExperimentResults.ArmResult r : ExperimentResults.of(e, store.counts(e.key()))) {
            ObjectNode o = arms.addObject()
                    .put("arm", r.arm())
                    .put("control", r.control())
                    .put("exposed", r.exposed())
                    .put("converted", r.converted())
                    .put("conversion_rate", r.rate())
                    .put("uplift", r.uplift());
            if (r.comparison() != null) {
                o.putObject("difference")
                        .put("value", r.comparison().difference())
                        .put("low", r.comparison().low())
                        .put("high", r.comparison().high())
                        .put("p_value", r.comparison().pValue())
                        .put("significant", r.comparison().pValue() < 0.05);
            }
        }
        ctx.json(body);
    }

    private void decide(Context ctx) throws Exception {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            explainers.handle(ctx);
            ctx.json(decider.explained(decider.decide(DecideRequest.from(body(ctx)), null)));
            return;
        }
        Source source = source(ctx);
        rate.take(source.writeKey());
        // A public write key reaches this route: its body is received without holding a worker (see BodyReader).
        bodies.receive(
                ctx,
                MAX_BODY,
                "body_too_large",
                "the 32 KB limit for a decide request",
                bytes -> decideForPage(
                        ctx,
                        source,
                        DecideRequest.from(JsonBody.read(
                                mapper, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), EXAMPLE))));
    }

    private void decideForPage(Context ctx, Source source, DecideRequest request) {
        if (request.userToken() != null) {
            String secret = secrets.of(source)
                    .orElseThrow(() -> new Unauthorized(
                            "invalid_user_token",
                            "Source '" + source.name()
                                    + "' has no decide secret, so no userToken can be valid; an admin creates one with POST /v1/admin/sources/"
                                    + source.name() + "/decide-secret and gives it to the site's backend."))
                    .value();
            String user = userTokens.userId(request.userToken(), secret, clock.instant());
            if (request.userId() != null && !request.userId().equals(user)) {
                throw new Forbidden(
                        "user_token_mismatch",
                        "The userToken was signed for another user than 'userId'; send the token the "
                                + "backend signed for this user, or leave 'userId' out (the token names the user).",
                        "userId");
            }
            request = request.forUser(user);
        } else if (request.userId() != null) {
            throw new Unauthorized(
                    "user_token_required",
                    "A decision for a 'userId' with a write key needs the 'userToken' the site's "
                            + "backend signed for that user (docs/decide.md), or anyone could read anyone's decision; without one, send only the "
                            + "browser's 'anonymousId'.");
        }
        ctx.json(decider.visible(decider.decide(request, source)));
    }

    private Source sourceNamed(Context ctx) {
        String name = ctx.pathParam("name");
        return sources.byName(name)
                .orElseThrow(() -> new NotFound(
                        "source_not_found", "No source is named '" + name + "'; GET /v1/admin/sources lists them."));
    }

    private JsonNode secret(Source source, DecideSecrets.Secret secret) {
        return mapper.createObjectNode()
                .put("source", source.name())
                .put("secret", secret.value())
                .put(
                        "created_at",
                        dev.tandem.wire.EventTime.format(java.time.Instant.ofEpochMilli(secret.createdAt())));
    }

    private Source source(Context ctx) {
        String key = WriteKeys.fromAuthorization(ctx.header("Authorization"));
        if (key == null) {
            throw new Unauthorized(
                    "missing_write_key",
                    "Send a source's write key as HTTP Basic user name (writeKey:), as on tracking calls.");
        }
        return sources.byWriteKey(key)
                .orElseThrow(() -> new Unauthorized(
                        "unknown_write_key",
                        "No source has that write key; check it, or create a source with 'tandem sources add'."));
    }

    private JsonNode body(Context ctx) {
        return JsonBody.read(mapper, ctx.body(), EXAMPLE);
    }
}
