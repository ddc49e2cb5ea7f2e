package dev.tandem.collect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.NotFound;
import dev.tandem.error.Unauthorized;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.wire.WriteKeys;
import io.javalin.http.Context;

/**
 * What browser SDKs fetch from their vendor before they send anything, answered by Tandem: the
 * source configuration RudderStack's JavaScript SDK asks its control plane for
 * ({@code GET /sourceConfig/?writeKey=...}), and the SDK bundles themselves (see {@link SdkBundles}).
 * analytics.js's settings are in {@link CollectRoutes}.
 */
final class SdkRoutes {
    private final Sources sources;
    private final ObjectMapper mapper;
    private final SourceOrigins origins;
    private final SdkBundles bundles = SdkBundles.fromClasspath();

    public SdkRoutes(Sources sources, SourceOrigins origins, ObjectMapper mapper) {
        this.sources = sources;
        this.origins = origins;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get("/sourceConfig", Access.OPEN, this::sourceConfig);
        routes.get("/sourceConfig/", Access.OPEN, this::sourceConfig);
        // analytics.js as its snippet loads it from a CDN, and the chunks it loads next from the same place
        routes.get("/analytics.js/v1/{writeKey}/analytics.min.js", Access.OPEN, ctx -> {
            knownSource(ctx.pathParam("writeKey"));
            bundles.send(ctx, SdkBundles.SEGMENT, "standalone.js");
        });
        routes.get(
                "/analytics-next/bundles/{file}",
                Access.OPEN,
                ctx -> bundles.send(ctx, SdkBundles.SEGMENT, ctx.pathParam("file")));
        // the npm packages' browser builds, for pages without a bundler
        routes.get("/sdk/analytics-next.js", Access.OPEN, ctx -> bundles.send(ctx, SdkBundles.SEGMENT, "index.js"));
        routes.get(
                "/sdk/rudderstack-analytics.js",
                Access.OPEN,
                ctx -> bundles.send(ctx, SdkBundles.RUDDERSTACK, "index.js"));
    }

    /**
     * An honest configuration: the source, enabled, with no destinations (Tandem delivers from the
     * server, so the browser loads no destination code), and RudderStack's own error and metrics
     * reporting off, since those would be sent to RudderStack.
     */
    private void sourceConfig(Context ctx) {
        String key = WriteKeys.fromAuthorization(ctx.header("Authorization"));
        if (key == null) {
            key = ctx.queryParam("writeKey");
        }
        if (key == null || key.isEmpty()) {
            throw new Unauthorized(
                    "missing_write_key", "Send the source's write key as HTTP Basic user name or as ?writeKey=.");
        }
        Source source = knownSource(key);
        origins.check(source, ctx.header("Origin"));
        ObjectNode body = mapper.createObjectNode();
        body.put("isHosted", false);
        ObjectNode out = body.putObject("source");
        out.put("id", source.id());
        out.put("name", source.name());
        out.put("writeKey", source.writeKey());
        out.put("workspaceId", "tandem");
        out.put("enabled", true);
        ObjectNode stats = out.putObject("config").putObject("statsCollection");
        stats.putObject("errors").put("enabled", false);
        stats.putObject("metrics").put("enabled", false);
        out.putArray("destinations");
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }

    private Source knownSource(String key) {
        return sources.byWriteKey(key)
                .orElseThrow(() -> new NotFound(
                        "unknown_write_key",
                        "No source has that write key; check the key in your snippet or load call."));
    }
}
