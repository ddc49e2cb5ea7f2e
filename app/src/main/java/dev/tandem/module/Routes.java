package dev.tandem.module;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where modules declare their HTTP routes, each with the {@link Access} it needs, so that who may
 * call what is read next to the route and not in a list of path prefixes elsewhere. The check
 * runs before the handler. Declarations are kept until {@link #applyTo} puts them on the HTTP
 * server, which is created only once every module is wired: a start-up that fails before that
 * leaves no server thread behind.
 */
public final class Routes {
    private final Gatekeeper gatekeeper;
    private final List<Route> declared = new ArrayList<>();
    private final List<Consumer<Javalin>> additions = new ArrayList<>();
    private volatile ChangeRecorder recorder = (ctx, route) -> {};

    public Routes(Gatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
    }

    public void get(String path, Access access, Handler handler) {
        Handler guarded = guarded("GET", path, access, handler);
        additions.add(app -> app.get(path, guarded));
    }

    public void post(String path, Access access, Handler handler) {
        Handler guarded = guarded("POST", path, access, handler);
        additions.add(app -> app.post(path, guarded));
    }

    public void put(String path, Access access, Handler handler) {
        Handler guarded = guarded("PUT", path, access, handler);
        additions.add(app -> app.put(path, guarded));
    }

    public void delete(String path, Access access, Handler handler) {
        Handler guarded = guarded("DELETE", path, access, handler);
        additions.add(app -> app.delete(path, guarded));
    }

    /** Preflights; they carry no credentials, so they are open by nature. */
    public void options(String path, Handler handler) {
        declared.add(new Route("OPTIONS", path, Access.OPEN));
        additions.add(app -> app.options(path, handler));
    }

    /** A filter before every request under {@code path}, such as CORS headers for the tracking routes. */
    public void before(String path, Handler handler) {
        additions.add(app -> app.before(path, handler));
    }

    /** A filter before every request, whatever its path. */
    public void before(Handler handler) {
        additions.add(app -> app.before(handler));
    }

    /** The check for {@code access} alone, for a handler that lets some callers see more (decide's explanations). */
    public Handler check(Access access) {
        return ctx -> gatekeeper.check(access, ctx);
    }

    /** Who is told of each change made through a guarded route (see {@link ChangeRecorder}); one at the most. */
    public void recordChanges(ChangeRecorder recorder) {
        this.recorder = recorder;
    }

    /** Every route declared so far, in order. */
    public List<Route> declared() {
        return Collections.unmodifiableList(declared);
    }

    /** Puts every declaration on the server, in the order declared. */
    public void applyTo(Javalin app) {
        additions.forEach(a -> a.accept(app));
    }

    private Handler guarded(String method, String path, Access access, Handler handler) {
        Route route = new Route(method, path, access);
        declared.add(route);
        if (access instanceof Access.Open) {
            return handler;
        }
        boolean changes = !method.equals("GET");
        return ctx -> {
            gatekeeper.check(access, ctx);
            handler.handle(ctx);
            if (changes && ctx.status().getCode() / 100 == 2) {
                recorder.changed(ctx, route);
            }
        };
    }
}
