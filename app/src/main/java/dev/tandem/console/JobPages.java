package dev.tandem.console;

import dev.tandem.module.Access;
import dev.tandem.module.Routes;

/**
 * Long jobs, for admins (the jobs API is an admin API): every kind of scheduled job with what is due
 * and, for those that report it (retention's archive, a replay, an audience's computation), a
 * progress bar of the current pass, refreshed every two seconds; and the jobs that are failing.
 */
final class JobPages {
    record Model(Frame frame, Answer jobs) {}

    private final Console console;

    JobPages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/jobs", Access.OPEN, console.page((ctx, viewer) -> {
            Answer jobs = console.api().get(viewer, "/v1/admin/jobs?limit=20");
            ctx.status(jobs.ok() ? 200 : jobs.status());
            console.render(ctx, "jobs.jte", new Model(new Frame(viewer, "Jobs", "/jobs"), jobs));
        }));
        routes.get("/jobs/panel", Access.OPEN, console.page((ctx, viewer) -> {
            Answer jobs = console.api().get(viewer, "/v1/admin/jobs?limit=20");
            ctx.status(jobs.ok() ? 200 : jobs.status());
            console.render(ctx, "jobs-panel.jte", new Model(new Frame(viewer, "Jobs", "/jobs"), jobs));
        }));
    }
}
