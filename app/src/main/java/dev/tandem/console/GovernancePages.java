package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Governance: the approvals inbox (approve, approve with conditions, reject), the audit trail with its
 * verification, and for admins the privacy requests, the policy's decision log, the field catalog and
 * the tracking plans, each read from its API route with the viewer's session.
 */
final class GovernancePages {
    record Model(
            Frame frame, Answer pending, Answer audit, Answer privacy, Answer decisions, Answer fields, Answer plans) {}

    /** One change of the inbox, after a verdict or with the words of why it was refused. */
    record ChangeView(Viewer viewer, JsonNode change, String error) {
        boolean mayJudge() {
            return viewer.may("changes:write")
                    && !viewer.name()
                            .equals(change.path("author").path("person").asText())
                    && change.path("status").asText().equals("pending");
        }
    }

    private final Console console;

    GovernancePages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/governance", Access.OPEN, console.page((ctx, viewer) -> {
            Api api = console.api();
            console.render(
                    ctx,
                    "governance.jte",
                    new Model(
                            new Frame(viewer, "Governance", "/governance"),
                            api.get(viewer, "/v1/changes?status=pending"),
                            viewer.may("audit:read") ? api.get(viewer, "/v1/audit?limit=15") : null,
                            viewer.admin() ? api.get(viewer, "/opendsr/requests") : null,
                            viewer.admin() ? api.get(viewer, "/v1/admin/policy/log?limit=15") : null,
                            viewer.admin() ? api.get(viewer, "/v1/admin/fields") : null,
                            viewer.admin() ? api.get(viewer, "/v1/tracking-plans") : null));
        }));
        routes.get("/governance/audit/verify", Access.OPEN, console.page((ctx, viewer) -> {
            Answer verified = console.api().get(viewer, "/v1/audit/verify");
            ctx.html("<p role=\"status\" id=\"verified\">"
                    + escape(verified.ok() ? "Verified: " + verified.body().toString() : verified.message())
                    + "</p>");
        }));
        routes.post("/governance/changes/{id}", Access.OPEN, console.page(this::verdict));
    }

    private void verdict(Context ctx, Viewer viewer) {
        String id = ctx.pathParam("id");
        if (!id.matches("\\d{1,18}")) {
            ctx.status(400).html("<p class=\"field-error\">No change has the id " + escape(id) + ".</p>");
            return;
        }
        String verdict = ctx.formParam("verdict");
        Map<String, Object> body = new LinkedHashMap<>();
        String comment = ctx.formParam("comment");
        if (comment != null && !comment.isBlank()) {
            body.put("comment", comment.trim());
        }
        Map<String, Object> conditions = new LinkedHashMap<>();
        for (String field : List.of("hash", "drop", "mask")) {
            List<String> names = list(ctx.formParam(field));
            if (!names.isEmpty()) {
                conditions.put(field, names);
            }
        }
        String expires = ctx.formParam("expires");
        if (expires != null && !expires.isBlank()) {
            conditions.put("expires", expires.trim());
        }
        if (!conditions.isEmpty() && "approve".equals(verdict)) {
            body.put("conditions", conditions);
        }
        Answer answer = console.api()
                .post(viewer, "/v1/changes/" + id + ("reject".equals(verdict) ? "/reject" : "/approve"), body);
        if (answer.ok()) {
            console.render(ctx, "change.jte", new ChangeView(viewer, answer.body(), null));
            return;
        }
        Answer current = console.api().get(viewer, "/v1/changes/" + id);
        if (!current.ok()) {
            ctx.status(answer.status())
                    .html("<p class=\"field-error\" role=\"alert\">" + escape(answer.message()) + "</p>");
            return;
        }
        console.render(ctx, "change.jte", new ChangeView(viewer, current.body(), answer.message()));
    }

    private static List<String> list(String names) {
        return names == null
                ? List.of()
                : Arrays.stream(names.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
