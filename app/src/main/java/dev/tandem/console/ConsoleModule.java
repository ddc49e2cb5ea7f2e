package dev.tandem.console;

import dev.tandem.module.Access;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.people.Sessions;
import java.util.function.IntSupplier;

/**
 * The web console, wired last: its pages call the JSON API of the server they run in (on {@code
 * port}, known once it listens) with the viewer's session, so they need no other module's services.
 */
public final class ConsoleModule implements Module {
    private final Sessions sessions;
    private final IntSupplier port;

    public ConsoleModule(Sessions sessions, IntSupplier port) {
        this.sessions = sessions;
        this.port = port;
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public void wire(Wiring wiring) {
        Console console = new Console(sessions, new Api(port, wiring.mapper()));
        Assets.register(wiring.routes());
        new CommandCenter(console, wiring.clock()).register(wiring.routes());
        new CustomerPages(console).register(wiring.routes());
        new AudiencePages(console).register(wiring.routes());
        new GovernancePages(console).register(wiring.routes());
        new InitiativePages(console).register(wiring.routes());
        new DestinationPages(console).register(wiring.routes());
        new DecisionPages(console).register(wiring.routes());
        new FieldPages(console).register(wiring.routes());
        new PlanPages(console).register(wiring.routes());
        new PrivacyPages(console).register(wiring.routes());
        new JourneyPages(console).register(wiring.routes());
        new JobPages(console).register(wiring.routes());
        wiring.routes().post("/console/sign-out", Access.OPEN, console.page((ctx, viewer) -> {
            console.api().delete(viewer, "/v1/session");
            ctx.header("Set-Cookie", Sessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            ctx.redirect("/sign-in");
        }));
    }
}
