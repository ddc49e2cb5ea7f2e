package dev.tandem.collect;

import dev.tandem.error.Forbidden;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashSet;
import java.util.Set;

/**
 * CORS for the routes browsers call: tracking, the settings analytics.js fetches, the source
 * configuration RudderStack's SDK fetches, and decisions. Every other route, admin first, is
 * closed to browsers: its preflight is refused and its answers carry no CORS header.
 *
 * <p>Why the request's origin is echoed rather than {@code *}: the answer is the same for every
 * origin today, but per-origin answers are where restricting origins goes, and a cache in front
 * must then keep one copy per origin, hence {@code Vary: Origin}. No credentials are allowed:
 * Tandem authenticates by write key, never by cookie, and neither browser SDK sends cookies.
 */
final class TrackingCors {
    /**
     * What the browser SDKs add to their calls, and nothing else: analytics.js 2.0 sends
     * {@code Authorization} and, on retries, {@code X-Retry-Count}; RudderStack's v3 SDK sends
     * {@code Authorization}, {@code AnonymousId}, {@code SentAt} and, on retries and for events
     * recovered from another tab, the {@code Rsa-*} headers. {@code Content-Type} is listed
     * because RudderStack sends {@code application/json}, which is not a simple type.
     */
    static final String ALLOWED_HEADERS =
            "Authorization, Content-Type, Content-Encoding, X-Retry-Count, AnonymousId, SentAt, "
                    + "Rsa-Retry-Attempt, Rsa-Since-Last-Attempt, Rsa-Since-First-Attempt, Rsa-Retry-Reason, Rsa-Recovered";
    /** analytics.js waits as long as a 429's {@code Retry-After} says, if the browser lets it read the header. */
    static final String EXPOSED_HEADERS = "Retry-After";

    private static final String MAX_AGE = "7200"; // Chromium's cap; Firefox allows a day

    private final Set<String> postPaths = new HashSet<>();
    private final Set<String> getPaths = Set.of("/sourceConfig", "/sourceConfig/");

    TrackingCors() {
        for (EventType type : EventType.values()) {
            postPaths.add("/v1/" + type.wireName());
            postPaths.add("/v1/" + type.shortPath());
        }
        postPaths.addAll(Set.of("/v1/batch", "/v1/b", "/v1/import", "/v1/import/", "/v1/decide"));
    }

    void register(Routes routes) {
        routes.before(this::addHeaders);
        routes.options("/*", this::preflight);
    }

    private String methodFor(String path) {
        if (postPaths.contains(path)) {
            return "POST";
        }
        if (getPaths.contains(path) || (path.startsWith("/v1/projects/") && path.endsWith("/settings"))) {
            return "GET";
        }
        return null;
    }

    private void addHeaders(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || methodFor(ctx.path()) == null) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        ctx.header("Vary", "Origin");
    }

    private void preflight(Context ctx) {
        String method = methodFor(ctx.path());
        if (method == null) {
            throw new Forbidden(
                    "cors_not_allowed",
                    "Only the tracking routes answer browsers from other origins; call " + ctx.path()
                            + " from a server.");
        }
        ctx.header("Access-Control-Allow-Methods", method);
        ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        ctx.header("Access-Control-Max-Age", MAX_AGE);
        ctx.header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        ctx.status(HttpStatus.NO_CONTENT);
    }
}
