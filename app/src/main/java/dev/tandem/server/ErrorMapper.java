package dev.tandem.server;

import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.error.TandemException;
import dev.tandem.error.Unauthorized;
import dev.tandem.error.Unavailable;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders every failure as {@code {"error": {"code", "message", "field"}}} with the right status. */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    static void register(Javalin app) {
        app.exception(TandemException.class, (e, ctx) -> {
            int status = switch (e) {
                case BadRequest b -> 400;
                case Unauthorized u -> 401;
                case dev.tandem.error.Forbidden f -> 403;
                case NotFound n -> 404;
                case Conflict c -> 409;
                case dev.tandem.error.RequestTimeout t -> 408;
                case dev.tandem.error.UnsupportedMediaType m -> 415;
                case Unavailable u -> {
                    ctx.header(
                            "Retry-After",
                            Long.toString(Math.max(1, u.retryAfter().toSeconds())));
                    yield u.overloaded() ? 429 : 503;
                }
            };
            write(ctx, status, e.code(), e.getMessage(), e.field());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> {
            switch (e.getStatus()) {
                case 404 ->
                    write(
                            ctx,
                            404,
                            "not_found",
                            "No route " + ctx.method() + " " + ctx.path() + "; see the README for the API.",
                            null);
                case 405 ->
                    write(
                            ctx,
                            405,
                            "method_not_allowed",
                            ctx.method() + " is not allowed on " + ctx.path() + ".",
                            null);
                default -> write(ctx, e.getStatus(), "http_" + e.getStatus(), e.getMessage(), null);
            }
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.atError().setCause(e).addKeyValue("path", ctx.path()).log("unexpected failure");
            write(ctx, 500, "internal_error", "Tandem failed unexpectedly; the server log has the details.", null);
        });
    }

    static void write(Context ctx, int status, String code, String message, String field) {
        ctx.status(status).json(body(code, message, field));
    }

    /** The error shape of every answer: {@code {"error": {"code", "message", "field"}}}. */
    static Map<String, Object> body(String code, String message, String field) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("field", field);
        return Map.of("error", error);
    }
}
