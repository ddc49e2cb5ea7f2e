package dev.tandem.testing;

import dev.tandem.config.Json;
import dev.tandem.error.BadRequest;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Javalin server on a free port with only the routes a test registers (such as a package's
 * admin routes before the server composes them), JSON as the server writes it and errors in the
 * shape of DESIGN.md. No admin token: the server puts that check in front of every admin route.
 */
public final class RouteServer implements AutoCloseable {
    private final Javalin app;
    private final Http http;

    private RouteServer(Javalin app) {
        this.app = app;
        this.http = new Http("http://localhost:" + app.port());
    }

    public static RouteServer start(Consumer<Javalin> routes) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
        });
        app.exception(
                BadRequest.class,
                (e, ctx) -> ctx.status(400)
                        .json(Map.of(
                                "error",
                                Map.of(
                                        "code",
                                        e.code(),
                                        "message",
                                        e.getMessage(),
                                        "field",
                                        String.valueOf(e.field())))));
        routes.accept(app);
        app.start(0);
        return new RouteServer(app);
    }

    public int port() {
        return app.port();
    }

    public Http http() {
        return http;
    }

    @Override
    public void close() {
        app.stop();
    }
}
