package dev.tandem.server;

import dev.tandem.config.Json;
import dev.tandem.module.Routes;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

/** The Javalin server every module's declared routes go on, created once they are all declared: the one JSON mapper, the request size cap, the worker reserve, errors as JSON. */
final class Http {
    private Http() {}

    static Javalin create(HttpGuards guards, Routes routes) {
        Javalin app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.jsonMapper(new JavalinJackson(Json.mapper(), false));
            javalin.http.maxRequestSize = 2L * 1024 * 1024;
            javalin.useVirtualThreads = false;
            guards.configure(javalin);
        });
        ErrorMapper.register(app);
        app.before(guards::admit);
        routes.applyTo(app);
        return app;
    }
}
