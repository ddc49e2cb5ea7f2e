package dev.tandem.module;


import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where modules declare their HTTP routes, each with the {@link Access} it needs, so that who may
 * call what is read next to the route and not in a list of path prefixes elsewhere. The check
 * runs before the handler.
 */
public final class Routes {
    private final Javalin app;
    private final Gatekeeper gatekeeper;
    private final List<Route> declared = new ArrayList<>();

    public Routes(Javalin app, Gatekeeper gatekeeper) {
        this.app = app;
        this.gatekeeper = gatekeeper;
    }

    public void get(String path, Access access, Handler handler) {
        app.get(path, guarded("GET", path, access, handler));
    }

    public void post(String path, Access access, Handler handler) {
        app.post(path, guarded("POST", path, access, handler));
    }

    public void put(String path, Access access, Handler handler) {
        app.put(path, guarded("PUT", path, access, handler));
    }

    public void delete(String path, Access access, Handler handler) {
        app.delete(path, guarded("DELETE", path, access, handler));
    }

    /** Preflights; they carry no credentials, so they are open by nature. */
    public void options(String path, Handler handler) {
        declared.add(new Route("OPTIONS", path, Access.OPEN));
        app.options(path, handler);
    }

    /** A filter before every request under {@code path}, such as CORS headers for the tracking routes. */
    public void before(String path, Handler handler) {
        app.before(path, handler);
    }

    /** The check for {@code access} alone, for a handler that lets some callers see more (decide's explanations). */
    public Handler check(Access access) {
        return ctx -> gatekeeper.check(access, ctx);
    }

    /** Every route declared so far, in order. */
    public List<Route> declared() {
        return Collections.unmodifiableList(declared);
    }

    private Handler guarded(String method, String path, Access access, Handler handler) {
        declared.add(new Route(method, path, access));
        if (access instanceof Access.Open) {
            return handler;
        }
        return ctx -> {
            gatekeeper.check(access, ctx);
            handler.handle(ctx);
        };
    }
}
