package dev.tandem.module;

import io.javalin.http.Context;

/**
 * Who is calling, as the server's {@link Gatekeeper} found it: {@code admin}, {@code token:<name>},
 * or {@code anonymous} on open routes. Kept on the request so that what a handler does can be recorded
 * under its actor.
 */
public final class Caller {
    private static final String ATTRIBUTE = "tandem.caller";

    private Caller() {}

    public static void attach(Context ctx, String name) {
        ctx.attribute(ATTRIBUTE, name);
    }

    public static String of(Context ctx) {
        String name = ctx.attribute(ATTRIBUTE);
        return name == null ? "anonymous" : name;
    }
}
