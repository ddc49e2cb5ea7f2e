package dev.tandem.people;

import dev.tandem.audit.AuditLog;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import java.util.function.Supplier;

/** People, sign-in and sessions: their routes, and {@link #sessions()} and {@link #people()} for the server's checks. */
public final class PeopleModule implements Module {
    private final AuditLog audit;
    private final Supplier<String> publicUrl;
    private People people;
    private Sessions sessions;

    public PeopleModule(AuditLog audit, Supplier<String> publicUrl) {
        this.audit = audit;
        this.publicUrl = publicUrl;
    }

    @Override
    public String name() {
        return "people";
    }

    @Override
    public void wire(Wiring wiring) {
        people = new People(new PeopleStore(wiring.jdbi()), audit, wiring.clock());
        sessions = new Sessions(people, publicUrl);
        new PeopleRoutes(people, sessions, wiring.mapper(), publicUrl).register(wiring.routes());
    }

    public People people() {
        return people;
    }

    public Sessions sessions() {
        return sessions;
    }
}
