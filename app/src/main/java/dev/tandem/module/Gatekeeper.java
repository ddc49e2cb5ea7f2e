package dev.tandem.module;

import io.javalin.http.Context;

/** Checks a request against a route's {@link Access}, throwing the typed error when it may not pass. */
@FunctionalInterface
public interface Gatekeeper {
    void check(Access access, Context ctx);
}
