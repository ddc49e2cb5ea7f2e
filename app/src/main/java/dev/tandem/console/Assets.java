package dev.tandem.console;

import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The console's scripts and styles, from the classpath at pinned paths: htmx and Chart.js from their
 * webjars (the versions are the pom's), the console's own from {@code /console}. Never a CDN.
 */
final class Assets {
    private static final String HTMX = "/META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";
    private static final String CHART = "/META-INF/resources/webjars/chart.js/4.4.7/dist/chart.umd.js";

    private Assets() {}

    static void register(Routes routes) {
        serve(routes, "/console/assets/htmx.min.js", HTMX, "text/javascript");
        serve(routes, "/console/assets/chart.umd.js", CHART, "text/javascript");
        serve(routes, "/console/assets/console.js", "/console/console.js", "text/javascript");
        serve(routes, "/console/assets/console.css", "/console/console.css", "text/css");
    }

    private static void serve(Routes routes, String path, String resource, String type) {
        byte[] body = read(resource);
        routes.get(
                path,
                Access.OPEN,
                ctx -> ctx.contentType(type + "; charset=utf-8")
                        .header("Cache-Control", "public, max-age=3600")
                        .header("X-Content-Type-Options", "nosniff")
                        .result(body));
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The build lacks " + resource + "; rebuild with ./tandem build.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
