package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The command center at {@code /}: KPI tiles, the perception gap, destinations by SLA state, the
 * processor's lag and the ingest rate, the approvals waiting for the viewer, the change feed and the
 * open privacy requests. The panels refresh every few seconds ({@code /console/panels}, polled by htmx).
 */
final class CommandCenter {
    /** What the panels show; a panel whose answer is null is one the viewer's role does not open. */
    record Panels(
            Viewer viewer,
            Answer kpis,
            Answer gap,
            Answer destinations,
            List<JsonNode> approvals,
            Answer changes,
            Answer feed,
            Answer privacy,
            Ops.Reading ops) {
        boolean noKpis() {
            return !kpis.ok() || kpis.path("kpis").isEmpty();
        }

        boolean noGaps() {
            return !gap.ok() || gap.path("gaps").isEmpty();
        }
    }

    record Model(Frame frame, Panels panels) {}

    private final Console console;
    private final Ops ops = new Ops();
    private final Clock clock;

    CommandCenter(Console console, Clock clock) {
        this.console = console;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.get(
                "/",
                Access.OPEN,
                console.page((ctx, viewer) -> console.render(
                        ctx, "command.jte", new Model(new Frame(viewer, "Command center", "/"), panels(viewer)))));
        routes.get(
                "/console/panels",
                Access.OPEN,
                console.page((ctx, viewer) -> console.render(ctx, "panels.jte", panels(viewer))));
    }

    Panels panels(Viewer viewer) {
        Api api = console.api();
        try (Calls calls = new Calls()) {
            var changes = calls.start(() -> api.get(viewer, "/v1/changes?status=pending"));
            var kpis = calls.start(() -> api.get(viewer, "/v1/kpis"));
            var gap = calls.start(() -> api.get(viewer, "/v1/perception-gap"));
            var destinations = viewer.admin() ? calls.start(() -> api.get(viewer, "/v1/destinations")) : null;
            var feed = viewer.may("feed:read") ? calls.start(() -> api.get(viewer, "/v1/feed?limit=8")) : null;
            var privacy = viewer.admin() ? calls.start(() -> api.get(viewer, "/opendsr/requests")) : null;
            var metrics = calls.start(api::metrics);
            List<JsonNode> forMe = new ArrayList<>();
            if (changes.get().ok()) {
                for (JsonNode c : changes.get().path("changes")) {
                    // a person never approves their own proposal: the inbox holds the others' that still need someone
                    if (!viewer.name().equals(c.path("author").path("person").asText())) {
                        forMe.add(c);
                    }
                }
            }
            return new Panels(
                    viewer,
                    kpis.get(),
                    gap.get(),
                    destinations == null ? null : destinations.get(),
                    forMe,
                    changes.get(),
                    feed == null ? null : feed.get(),
                    privacy == null ? null : privacy.get(),
                    ops.read(metrics.get(), clock.millis()));
        }
    }
}
