package dev.tandem.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.Json;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tracking plans: the list, one plan with its events and violations, and a form that proposes a plan
 * (new or edited) as a change, {@code POST /v1/changes {"kind": "trackingPlan", ...}}, so the change
 * path decides whether it applies now or waits for approval, and the API decides who may.
 */
final class PlanPages {
    record ListModel(Frame frame, Answer plans, Proposal proposal) {}

    record OneModel(Frame frame, String key, Answer plan, Answer violations, Proposal proposal) {}

    /** The proposal form: the key and the declaration as typed, and the outcome in words once sent. */
    record Proposal(String key, String declaration, String message, boolean failed, String field) {
        static Proposal of(String key, String declaration) {
            return new Proposal(key, declaration, "", false, "");
        }

        boolean fixedKey() {
            return !key.isEmpty() && field.isEmpty() && !failed;
        }
    }

    private static final String BLANK =
            "{\n  \"sources\": [],\n  \"mode\": \"allow\",\n  \"owners\": [\"it\"],\n" + "  \"events\": {}\n}";

    private final Console console;

    PlanPages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/governance/plans", Access.OPEN, console.page((ctx, viewer) -> {
            Answer plans = console.api().get(viewer, "/v1/tracking-plans");
            ctx.status(plans.ok() ? 200 : plans.status());
            console.render(
                    ctx,
                    "plans.jte",
                    new ListModel(new Frame(viewer, "Tracking plans", "/governance"), plans, Proposal.of("", BLANK)));
        }));
        routes.get("/governance/plans/{key}", Access.OPEN, console.page((ctx, viewer) -> {
            String key = ctx.pathParam("key");
            String base = "/v1/tracking-plans/" + Paths.segment(key);
            Answer plan = console.api().get(viewer, base);
            Answer violations = plan.ok() ? console.api().get(viewer, base + "/violations") : null;
            ctx.status(plan.ok() ? 200 : plan.status());
            console.render(
                    ctx,
                    "plan.jte",
                    new OneModel(
                            new Frame(viewer, "Tracking plan " + key, "/governance"),
                            key,
                            plan,
                            violations,
                            Proposal.of(key, plan.ok() ? editable(plan.body()) : BLANK)));
        }));
        routes.post("/governance/plans", Access.OPEN, console.page(this::propose));
    }

    private void propose(Context ctx, Viewer viewer) {
        String key = trimmed(ctx.formParam("key"));
        String text = ctx.formParam("declaration") == null ? "" : ctx.formParam("declaration");
        JsonNode declaration;
        try {
            declaration = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            declaration = null;
        }
        if (declaration == null || !declaration.isObject()) {
            answer(
                    ctx,
                    400,
                    new Proposal(
                            key,
                            text,
                            "The declaration is not a JSON object; write it as " + BLANK.replace("\n", " ") + ".",
                            true,
                            "declaration"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "trackingPlan");
        body.put("key", key);
        body.put("declaration", declaration);
        Answer answer = console.api().post(viewer, "/v1/changes", body);
        if (!answer.ok()) {
            String field = answer.field().equals("key") ? "key" : "declaration";
            answer(ctx, answer.status(), new Proposal(key, text, answer.message(), true, field));
            return;
        }
        String outcome = switch (answer.path("status").asText()) {
            case "applied" -> "Applied: change " + answer.path("id").asText() + " is in force for the next event.";
            case "pending" ->
                "Proposed as change " + answer.path("id").asText() + "; it waits for "
                        + Show.joined(answer.path("needs")) + " ("
                        + answer.path("tier").asText()
                        + " risk). Follow it in the approvals inbox.";
            case "unchanged" -> "Nothing to propose: the plan is already so.";
            default ->
                "Change " + answer.path("id").asText() + " is "
                        + answer.path("status").asText() + ".";
        };
        answer(ctx, 200, new Proposal(key, text, outcome, false, ""));
    }

    private void answer(Context ctx, int status, Proposal proposal) {
        ctx.status(status);
        console.render(ctx, "plan-proposal.jte", proposal);
    }

    /** The plan as the API shows it, less what the API adds (origin, updatedAt): what a proposal sends. */
    private static String editable(JsonNode plan) {
        ObjectNode copy = plan.deepCopy();
        copy.remove("origin");
        copy.remove("updatedAt");
        copy.remove("key");
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A plan the API answered could not be written back as JSON", e);
        }
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }
}
