package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audiences: the list with sizes; one audience with its size history and members (identifiers
 * masked for the viewer as the Audience API masks them); and the builder, which writes CEL, shows the
 * preview's estimated size and sample as the conditions change, and saves the audience as a change.
 */
final class AudiencePages {
    record ListModel(Frame frame, Answer audiences) {}

    record OneModel(Frame frame, String key, Answer audience, Answer history, Answer members, Answer change) {
        boolean settled() {
            return audience.ok() && audience.path("status").asText().equals("ready")
                    || change != null
                            && change.ok()
                            && !change.path("status").asText().equals("pending")
                            && !change.path("status").asText().equals("applied");
        }
    }

    record BuilderModel(Frame frame, AudienceBuilder builder, Saving saving) {}

    /** The builder's result panel: the CEL, the preview (or why there is none), and the save form's errors. */
    record Estimate(AudienceBuilder builder, Answer preview, Saving saving) {}

    /** What the save form holds, and its errors by field. */
    record Saving(String key, String name, String owners, Map<String, String> errors) {
        static Saving blank() {
            return new Saving("", "", "marketing", Map.of());
        }

        String error(String field) {
            return errors.getOrDefault(field, "");
        }
    }

    private final Console console;

    AudiencePages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/audiences", Access.OPEN, console.page((ctx, viewer) -> {
            if (refused(ctx, viewer)) {
                return;
            }
            console.render(
                    ctx,
                    "audiences.jte",
                    new ListModel(
                            new Frame(viewer, "Audiences", "/audiences"),
                            console.api().get(viewer, "/v1/audiences")));
        }));
        routes.get("/audiences/new", Access.OPEN, console.page((ctx, viewer) -> {
            if (refused(ctx, viewer)) {
                return;
            }
            console.render(
                    ctx,
                    "builder.jte",
                    new BuilderModel(
                            new Frame(viewer, "Build an audience", "/audiences"),
                            AudienceBuilder.blank(),
                            Saving.blank()));
        }));
        routes.post("/audiences/builder", Access.OPEN, console.page((ctx, viewer) -> {
            AudienceBuilder b = AudienceBuilder.from(ctx);
            String add = ctx.formParam("add");
            if ("group".equals(add)) {
                b = b.withGroup();
            } else if (add != null && add.matches("\\d{1,2}")) {
                b = b.withCondition(Integer.parseInt(add));
            }
            console.render(ctx, "conditions.jte", b);
        }));
        routes.post("/audiences/estimate", Access.OPEN, console.page((ctx, viewer) -> {
            console.render(
                    ctx,
                    "estimate.jte",
                    estimate(viewer, AudienceBuilder.from(ctx).checked(), saving(ctx, Map.of())));
        }));
        routes.post("/audiences/save", Access.OPEN, console.page((ctx, viewer) -> save(ctx, viewer)));
        routes.get("/audiences/{key}", Access.OPEN, console.page((ctx, viewer) -> {
            if (refused(ctx, viewer)) {
                return;
            }
            console.render(
                    ctx, ctx.queryParam("part") != null ? "audience-status.jte" : "audience.jte", one(ctx, viewer));
        }));
    }

    private OneModel one(Context ctx, Viewer viewer) {
        String key = ctx.pathParam("key");
        String path = "/v1/audiences/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        Api api = console.api();
        String change = ctx.queryParam("change");
        Answer audience = api.get(viewer, path);
        return new OneModel(
                new Frame(viewer, "Audience " + key, "/audiences"),
                key,
                audience,
                audience.ok() ? api.get(viewer, path + "/history") : audience,
                audience.ok() ? api.get(viewer, path + "/members?limit=20") : audience,
                change != null && change.matches("\\d{1,18}") ? api.get(viewer, "/v1/changes/" + change) : null);
    }

    private Estimate estimate(Viewer viewer, AudienceBuilder b, Saving saving) {
        if (!b.errors().isEmpty() || b.cel().isEmpty()) {
            return new Estimate(b, null, saving);
        }
        return new Estimate(
                b, console.api().post(viewer, "/v1/audiences/preview", Map.of("condition", b.cel())), saving);
    }

    private void save(Context ctx, Viewer viewer) {
        AudienceBuilder b = AudienceBuilder.from(ctx).checked();
        Map<String, String> errors = new LinkedHashMap<>();
        String key = text(ctx, "key");
        String name = text(ctx, "name");
        if (!key.matches("[a-z][a-z0-9_]{0,63}")) {
            errors.put(
                    "key",
                    "A key is lower-case letters, digits and '_', starting with a letter (such as pro_buyers), at most 64.");
        }
        if (name.isBlank()) {
            errors.put("name", "Give the audience a name people will recognise.");
        }
        if (b.errors().isEmpty() && b.cel().isEmpty()) {
            errors.put("condition", "Add at least one condition.");
        }
        if (!errors.isEmpty() || !b.errors().isEmpty()) {
            console.render(ctx, "estimate.jte", estimate(viewer, b, saving(ctx, errors)));
            return;
        }
        List<String> owners = owners(text(ctx, "owners"));
        Map<String, Object> declaration = new LinkedHashMap<>();
        declaration.put("name", name);
        declaration.put("owners", owners);
        declaration.put("condition", b.cel());
        Answer submitted = console.api()
                .post(viewer, "/v1/changes", Map.of("kind", "audience", "key", key, "declaration", declaration));
        if (!submitted.ok()) {
            String field =
                    submitted.field().endsWith("key") || submitted.message().contains("'key'") ? "key" : "condition";
            console.render(ctx, "estimate.jte", estimate(viewer, b, saving(ctx, Map.of(field, submitted.message()))));
            return;
        }
        JsonNode id = submitted.path("id");
        ctx.header("HX-Redirect", "/audiences/" + key + "?change=" + id.asText());
        ctx.status(204);
    }

    private boolean refused(Context ctx, Viewer viewer) {
        if (viewer.may("audiences:read")) {
            return false;
        }
        ctx.status(403);
        console.render(
                ctx,
                "audiences.jte",
                new ListModel(
                        new Frame(viewer, "Audiences", "/audiences"),
                        Answer.refused(viewer.refusal("Audiences", "roles with audiences:read"))));
        return true;
    }

    private static Saving saving(Context ctx, Map<String, String> errors) {
        return new Saving(text(ctx, "key"), text(ctx, "name"), text(ctx, "owners"), errors);
    }

    private static List<String> owners(String choice) {
        return switch (choice) {
            case "it" -> List.of("it");
            case "both" -> List.of("marketing", "it");
            default -> List.of("marketing");
        };
    }

    private static String text(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.trim();
    }
}
