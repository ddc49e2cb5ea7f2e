package dev.tandem.server;

import dev.tandem.config.Json;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

/** The Javalin server every module's routes go on: the one JSON mapper, the request size cap, the worker reserve, errors as JSON. */
final class Http {
    private Http() {}

    static Javalin create(HttpGuards guards) {
        Javalin app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.jsonMapper(new JavalinJackson(Json.mapper(), false));
            javalin.http.maxRequestSize = 2L * 1024 * 1024;
            javalin.useVirtualThreads = false;
            guards.configure(javalin);
        });
        ErrorMapper.register(app);
        app.before(guards::admit);
        return app;
    }
}
