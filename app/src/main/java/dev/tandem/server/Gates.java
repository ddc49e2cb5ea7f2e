package dev.tandem.server;

import dev.tandem.error.Forbidden;
import dev.tandem.govern.Flow;
import dev.tandem.govern.GovernedReads;
import dev.tandem.module.Access;
import dev.tandem.module.Caller;
import dev.tandem.module.Gatekeeper;
import dev.tandem.people.People;
import dev.tandem.people.Person;
import dev.tandem.people.Role;
import dev.tandem.people.Sessions;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The server's check of a route's {@link Access}: the admin token, or an API token with the scope (the admin token passes too). */
final class Gates implements Gatekeeper {
    private final AdminToken admin;
    private final ApiTokens tokens;
    private final Supplier<Sessions> sessions;
    private final Set<String> purposes;

    /** @param purposes what a signed-in person's reads are for (all of the catalog but for analysts) */
    Gates(AdminToken admin, ApiTokens tokens, Supplier<Sessions> sessions, Set<String> purposes) {
        this.admin = admin;
        this.tokens = tokens;
        this.sessions = sessions;
        this.purposes = purposes;
    }

    /**
     * A request with an {@code Authorization} header is judged by it (the admin token, an API token);
     * one without, by its session cookie, if any: a person whose role administers passes the admin
     * routes, and a person passes a scope their role holds.
     */
    @Override
    public void check(Access access, Context ctx) {
        switch (access) {
            case Access.Open open -> {}
            case Access.Admin admitted -> {
                Optional<People.SignedIn> person = signedIn(ctx);
                if (person.isEmpty()) {
                    admin.require(ctx);
                    Caller.attach(ctx, "admin");
                } else if (!person.get().person().role().administers()) {
                    throw new Forbidden(
                            "missing_role",
                            "This route is for admins; " + person.get().person().name() + " is a "
                                    + person.get().person().role().wireName() + ".");
                } else {
                    Caller.attach(ctx, person.get().person().caller());
                    Caller.attachPerson(ctx, person.get().person().name());
                }
            }
            case Access.Scope scope -> {
                Optional<People.SignedIn> person = signedIn(ctx);
                if (person.isEmpty()) {
                    for (String s : scope.all()) {
                        tokens.require(s, ctx);
                    }
                    return;
                }
                Person p = person.get().person();
                for (String s : scope.all()) {
                    if (!p.role().holds(s)) {
                        throw new Forbidden(
                                "missing_scope",
                                p.name() + " is a " + p.role().wireName() + ", a role without the '" + s + "' scope.");
                    }
                }
                Caller.attach(ctx, p.caller());
                Caller.attachPerson(ctx, p.name());
                GovernedReads.attach(
                        ctx,
                        Flow.apiRead(
                                p.caller(),
                                p.role().wireName(),
                                p.role() == Role.ANALYST ? List.of() : List.copyOf(purposes)));
            }
        }
    }

    private Optional<People.SignedIn> signedIn(Context ctx) {
        if (ctx.header("Authorization") != null) {
            return Optional.empty();
        }
        return sessions.get().of(ctx);
    }
}
