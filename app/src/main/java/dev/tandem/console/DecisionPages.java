package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decisions and experiments: for admins, every placement with its rules and default (the placements
 * API is an admin API); for every role with {@code experiments:read}, an experiment's results, each
 * arm's difference from control with its 95% interval, as a chart.
 */
final class DecisionPages {
    record Model(Frame frame, Answer placements, String experiment, List<Answer> results) {}

    private final Console console;

    DecisionPages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/decisions", Access.OPEN, console.page((ctx, viewer) -> {
            Frame frame = new Frame(viewer, "Decisions and experiments", "/decisions");
            Api api = console.api();
            Answer placements = viewer.admin()
                    ? api.get(viewer, "/v1/admin/placements")
                    : Answer.refused(viewer.refusal("Placements and their rules", "admins"));
            List<String> keys = new ArrayList<>();
            String asked = ctx.queryParam("experiment") == null
                    ? ""
                    : ctx.queryParam("experiment").trim();
            if (!asked.isEmpty()) {
                keys.add(asked);
            } else if (placements.ok()) {
                for (JsonNode p : placements.path("placements")) {
                    if (p.path("experiment").isObject()) {
                        keys.add(p.path("experiment").path("key").asText());
                    }
                }
            }
            List<Answer> results = new ArrayList<>();
            for (String key : keys) {
                results.add(
                        viewer.may("experiments:read")
                                ? api.get(
                                        viewer,
                                        "/v1/experiments/" + URLEncoder.encode(key, StandardCharsets.UTF_8)
                                                + "/results")
                                : Answer.refused(viewer.refusal("Experiment results", "roles with experiments:read")));
            }
            console.render(ctx, "decisions.jte", new Model(frame, placements, asked, results));
        }));
    }
}
