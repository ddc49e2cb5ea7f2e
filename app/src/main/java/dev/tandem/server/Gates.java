package dev.tandem.server;

import dev.tandem.module.Access;
import dev.tandem.module.Caller;
import dev.tandem.module.Gatekeeper;
import io.javalin.http.Context;

/** The server's check of a route's {@link Access}: the admin token, or an API token with the scope (the admin token passes too). */
final class Gates implements Gatekeeper {
    private final AdminToken admin;
    private final ApiTokens tokens;

    Gates(AdminToken admin, ApiTokens tokens) {
        this.admin = admin;
        this.tokens = tokens;
    }

    @Override
    public void check(Access access, Context ctx) {
        switch (access) {
            case Access.Open open -> {}
            case Access.Admin admitted -> {
                admin.require(ctx);
                Caller.attach(ctx, "admin");
            }
            case Access.Scope scope -> tokens.require(scope.scope(), ctx);
        }
    }
}
