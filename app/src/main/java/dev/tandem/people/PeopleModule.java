package dev.tandem.people;

import dev.tandem.audit.AuditLog;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import java.util.Map;
import java.util.function.Supplier;

/** People, sign-in and sessions: their routes, and {@link #sessions()} and {@link #people()} for the server's checks. */
public final class PeopleModule implements Module {
    private final AuditLog audit;
    private final Supplier<String> publicUrl;
    private final Map<String, String> teams;
    private People people;
    private Sessions sessions;

    /** @param teams every known team to its side ({@code marketing} or {@code it}), the built-in ones included */
    public PeopleModule(AuditLog audit, Supplier<String> publicUrl, Map<String, String> teams) {
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.teams = teams;
    }

    @Override
    public String name() {
        return "people";
    }

    @Override
    public void wire(Wiring wiring) {
        people = new People(new PeopleStore(wiring.jdbi()), audit, wiring.clock(), teams);
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
