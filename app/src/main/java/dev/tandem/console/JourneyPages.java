package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Journeys: the list, and one journey drawn as a vertical flow of its steps with each step's counts,
 * the goal's conversion in the journey against the holdout with its interval, and pause or resume,
 * all read from and sent to the journeys API with the viewer's session.
 */
final class JourneyPages {
    static final List<String> COUNTS = List.of("entered", "waiting", "advanced", "exited", "sent", "failed");

    record ListModel(Frame frame, Answer journeys) {}

    record OneModel(Frame frame, String key, Answer journey, Answer stats, List<Step> steps) {}

    /** One step of the flow: its path ({@code 2/0/1}), kind, depth in branches and splits, and counts. */
    record Step(String path, String kind, int depth, JsonNode counts) {
        long count(String outcome) {
            return counts.path(outcome).asLong();
        }
    }

    /** The journey's status after a pause or resume, or the API's words of why not. */
    record Status(String key, Answer answer, boolean mayControl) {}

    private final Console console;

    JourneyPages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/journeys", Access.OPEN, console.page((ctx, viewer) -> {
            Answer journeys = console.api().get(viewer, "/v1/journeys");
            ctx.status(journeys.ok() ? 200 : journeys.status());
            console.render(ctx, "journeys.jte", new ListModel(new Frame(viewer, "Journeys", "/journeys"), journeys));
        }));
        routes.get("/journeys/{key}", Access.OPEN, console.page((ctx, viewer) -> {
            String key = ctx.pathParam("key");
            String base = "/v1/journeys/" + Paths.segment(key);
            Answer journey = console.api().get(viewer, base);
            Answer stats = journey.ok() ? console.api().get(viewer, base + "/stats") : null;
            ctx.status(journey.ok() ? 200 : journey.status());
            console.render(
                    ctx,
                    "journey.jte",
                    new OneModel(
                            new Frame(viewer, "Journey " + key, "/journeys"),
                            key,
                            journey,
                            stats,
                            steps(journey, stats)));
        }));
        routes.post("/journeys/{key}/pause", Access.OPEN, console.page((ctx, viewer) -> control(ctx, viewer, "pause")));
        routes.post(
                "/journeys/{key}/resume", Access.OPEN, console.page((ctx, viewer) -> control(ctx, viewer, "resume")));
    }

    private void control(Context ctx, Viewer viewer, String verb) {
        String key = ctx.pathParam("key");
        Answer answer = console.api().post(viewer, "/v1/journeys/" + Paths.segment(key) + "/" + verb, Map.of());
        ctx.status(answer.ok() ? 200 : answer.status());
        console.render(ctx, "journey-status.jte", new Status(key, answer, true));
    }

    /** The steps in the journey's order, with the stats' counts where the stats answered. */
    private static List<Step> steps(Answer journey, Answer stats) {
        List<Step> out = new ArrayList<>();
        if (!journey.ok()) {
            return out;
        }
        JsonNode counted = stats != null && stats.ok() ? stats.path("steps") : null;
        for (JsonNode s : journey.path("steps")) {
            String path = s.path("step").asText();
            JsonNode counts = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            if (counted != null) {
                for (JsonNode c : counted) {
                    if (c.path("step").asText().equals(path)) {
                        counts = c;
                    }
                }
            }
            int depth = (path.split("/").length - 1) / 2;
            out.add(new Step(path, s.path("kind").asText(), depth, counts));
        }
        return out;
    }
}
