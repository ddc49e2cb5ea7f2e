package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Destinations, for admins (the destinations API is an admin API): each one's SLA state and its
 * history, the SLA against what was measured, the delivery funnel as a chart, and its dead letters
 * with a replay.
 */
final class DestinationPages {
    /** One destination: its health and its latest dead letters, as the API answered. */
    record One(String key, Answer health, Answer deadLetters) {}

    record Model(Frame frame, Answer list, List<One> destinations) {}

    private final Console console;

    DestinationPages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/destinations", Access.OPEN, console.page((ctx, viewer) -> {
            Frame frame = new Frame(viewer, "Destinations", "/destinations");
            if (!viewer.admin()) {
                ctx.status(403);
                console.render(
                        ctx,
                        "destinations.jte",
                        new Model(frame, Answer.refused(viewer.refusal("Destinations", "admins")), List.of()));
                return;
            }
            Api api = console.api();
            Answer list = api.get(viewer, "/v1/destinations");
            List<One> all = new ArrayList<>();
            if (list.ok()) {
                for (JsonNode d : list.path("destinations")) {
                    String key = d.path("key").asText();
                    String base = "/v1/destinations/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
                    all.add(new One(
                            key, api.get(viewer, base + "/health"), api.get(viewer, base + "/dead-letters?limit=10")));
                }
            }
            console.render(ctx, "destinations.jte", new Model(frame, list, all));
        }));
        routes.post("/destinations/{key}/replay", Access.OPEN, console.page((ctx, viewer) -> {
            String key = ctx.pathParam("key");
            Answer replayed = console.api()
                    .post(
                            viewer,
                            "/v1/destinations/" + URLEncoder.encode(key, StandardCharsets.UTF_8)
                                    + "/dead-letters/replay",
                            Map.of());
            ctx.status(replayed.ok() ? 200 : replayed.status())
                    .html("<p role=\"status\" class=\"" + (replayed.ok() ? "" : "field-error") + "\">"
                            + GovernancePages.escape(
                                    replayed.ok()
                                            ? "Replaying "
                                                    + replayed.path("replaying").asText() + " dead letters of " + key
                                                    + "; reload to follow."
                                            : replayed.message())
                            + "</p>");
        }));
    }
}
