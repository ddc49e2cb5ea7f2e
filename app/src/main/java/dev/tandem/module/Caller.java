package dev.tandem.module;

import io.javalin.http.Context;

/**
 * Who is calling, as the server's {@link Gatekeeper} found it: {@code admin}, {@code token:<name>},
 * or {@code anonymous} on open routes. Kept on the request so that what a handler does can be recorded
 * under its actor.
 */
public final class Caller {
    private static final String ATTRIBUTE = "tandem.caller";
    private static final String PERSON = "tandem.caller.person";

    private Caller() {}

    public static void attach(Context ctx, String name) {
        ctx.attribute(ATTRIBUTE, name);
    }

    /** The person behind the request (signed in, or owning the API token used), by name. */
    public static void attachPerson(Context ctx, String name) {
        ctx.attribute(PERSON, name);
    }

    /** The person's name, or null when no person is behind the request (the admin token, a token made with it). */
    public static String person(Context ctx) {
        return ctx.attribute(PERSON);
    }

    public static String of(Context ctx) {
        String name = ctx.attribute(ATTRIBUTE);
        return name == null ? "anonymous" : name;
    }
}
