package dev.tandem.collect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.error.Unauthorized;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.wire.WriteKeys;
import io.javalin.http.Context;
import java.util.function.Supplier;

/**
 * The Segment-compatible tracking endpoints: {@code /v1/{identify,track,page,screen,group,alias}},
 * their one-letter forms, {@code /v1/batch}, {@code /v1/b}, {@code /v1/import}, and the settings
 * that analytics.js fetches. Browsers call these from other origins, so they answer CORS.
 */
final class CollectRoutes {
    private final Sources sources;
    private final Collector collector;
    private final TrackingRequestParser parser;
    private final Limits limits;
    private final DiskGuard disk;
    private final ObjectMapper mapper;
    private final BodyReader bodies;
    private final Supplier<String> publicUrl;
    private final SourceOrigins origins;

    /**
     * @param bodies      receives request bodies without holding a thread
     * @param publicUrl   where clients reach Tandem, such as https://cdp.example.com (known once the port is bound)
     * @param origins     the browser origins each source accepts
     */
    public CollectRoutes(
            Sources sources,
            Collector collector,
            ObjectMapper mapper,
            Limits limits,
            DiskGuard disk,
            BodyReader bodies,
            Supplier<String> publicUrl,
            SourceOrigins origins) {
        this.origins = origins;
        this.bodies = bodies;
        this.publicUrl = publicUrl;
        this.sources = sources;
        this.collector = collector;
        this.parser = new TrackingRequestParser(mapper, limits);
        this.limits = limits;
        this.disk = disk;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        for (EventType type : EventType.values()) {
            routes.post("/v1/" + type.wireName(), Access.OPEN, ctx -> single(ctx, type));
            routes.post("/v1/" + type.shortPath(), Access.OPEN, ctx -> single(ctx, type));
        }
        for (String path : new String[] {"/v1/batch", "/v1/b", "/v1/import"}) {
            routes.post(path, Access.OPEN, this::batch);
        }
        routes.get("/v1/projects/{writeKey}/settings", Access.OPEN, this::settings);
        new TrackingCors().register(routes);
    }

    private void single(Context ctx, EventType type) {
        disk.check();
        Source fromHeader = sourceFromHeader(ctx);
        withBody(ctx, limits.maxEventBytes(), "event_too_large", "the 32 KB limit for one event", body -> {
            TrackingRequest request = parser.single(body);
            Source source = fromHeader != null ? fromHeader : source(request.writeKey());
            origins.check(source, ctx.header("Origin"));
            Receipt receipt = collector.collect(source, request, type, gpc(ctx));
            if (!receipt.rejected().isEmpty()) {
                Receipt.RejectedEvent why = receipt.rejected().get(0);
                throw new BadRequest(why.code(), why.message() + " The event was kept in the quarantine.", why.field());
            }
            ctx.json(receipt);
        });
    }

    private void batch(Context ctx) {
        disk.check();
        Source fromHeader = sourceFromHeader(ctx);
        withBody(ctx, limits.maxBatchBytes(), "batch_too_large", "the 500 KB limit for one batch", body -> {
            TrackingRequest request = parser.batch(body);
            Source source = fromHeader != null ? fromHeader : source(request.writeKey());
            origins.check(source, ctx.header("Origin"));
            ctx.json(collector.collect(source, request, null, gpc(ctx)));
        });
    }

    private void withBody(
            Context ctx, int limit, String code, String limitName, java.util.function.Consumer<byte[]> then) {
        bodies.receive(ctx, limit, code, limitName, then);
    }

    private void settings(Context ctx) {
        Source source = sources.byWriteKey(ctx.pathParam("writeKey"))
                .orElseThrow(() -> new NotFound(
                        "unknown_write_key", "No source has that write key; check the key in your snippet."));
        origins.check(source, ctx.header("Origin"));
        // Why not the Host header: a cache in front would keep an attacker's host and send every
        // browser's events there. The public URL is configured.
        java.net.URI base = java.net.URI.create(publicUrl.get());
        ObjectNode settings = mapper.createObjectNode();
        ObjectNode segment = settings.putObject("integrations").putObject("Segment.io");
        segment.put("apiKey", source.writeKey());
        segment.put("apiHost", base.getRawAuthority() + "/v1");
        segment.put("protocol", base.getScheme());
        settings.putObject("plan").putObject("track").putObject("__default").put("enabled", true);
        settings.putObject("edgeFunction");
        settings.put("analyticsNextEnabled", true);
        // analytics.js reports its own metrics to Segment unless the settings say not to; a Tandem page calls Tandem
        // only
        settings.putObject("metrics").put("sampleRate", 0);
        ctx.json(settings);
    }

    /** The source named by Basic auth, checked before the body is read; null when there is no header. */
    private Source sourceFromHeader(Context ctx) {
        String key = WriteKeys.fromAuthorization(ctx.header("Authorization"));
        return key == null ? null : source(key);
    }

    private Source source(String key) {
        if (key == null) {
            throw new Unauthorized(
                    "missing_write_key",
                    "Send the source's write key as HTTP Basic user name (writeKey:) or as 'writeKey' in the body.");
        }
        return sources.byWriteKey(key)
                .orElseThrow(() -> new Unauthorized(
                        "unknown_write_key",
                        "No source has that write key; check it, or create a source with 'tandem sources add'."));
    }

    /** The Global Privacy Control header, an opt-out of sale and advertising (https://globalprivacycontrol.org). */
    private static boolean gpc(Context ctx) {
        return "1".equals(ctx.header("Sec-GPC"));
    }
}
