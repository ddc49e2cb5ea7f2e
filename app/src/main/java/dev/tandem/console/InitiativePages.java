package dev.tandem.console;

import dev.tandem.module.Access;
import dev.tandem.module.Routes;

/** Initiatives co-owned by marketing and IT, each with its checkpoints on a timeline (from {@code GET /v1/initiatives}). */
final class InitiativePages {
    record Model(Frame frame, Answer initiatives) {}

    private final Console console;

    InitiativePages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get(
                "/initiatives",
                Access.OPEN,
                console.page((ctx, viewer) -> console.render(
                        ctx,
                        "initiatives.jte",
                        new Model(
                                new Frame(viewer, "Initiatives", "/initiatives"),
                                viewer.may("kpis:read")
                                        ? console.api().get(viewer, "/v1/initiatives")
                                        : Answer.refused(viewer.refusal("Initiatives", "roles with kpis:read"))))));
    }
}
