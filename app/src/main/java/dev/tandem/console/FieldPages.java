package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The field catalog's review: every field seen with its class and who classified it, and a steward's
 * choice of class per field, sent to {@code PUT /v1/admin/fields/{path}} with the viewer's session, so
 * the API decides who may classify and which fields tandem.yaml holds.
 */
final class FieldPages {
    static final List<String> CLASSES = List.of("restricted", "personal", "general");

    record Model(Frame frame, Answer fields, boolean unreviewed) {}

    /** One field's row after a review: the field as the API answered it, and what happened in words. */
    record Row(JsonNode field, String message, boolean failed) {
        String path() {
            return field.path("path").asText();
        }

        String fieldClass() {
            return field.path("fieldClass").asText(field.path("class").asText());
        }
    }

    private final Console console;

    FieldPages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/governance/fields", Access.OPEN, console.page((ctx, viewer) -> {
            String status = ctx.queryParam("status");
            Answer fields = console.api()
                    .get(viewer, "/v1/admin/fields" + (status == null ? "" : "?status=" + Paths.segment(status)));
            ctx.status(fields.ok() ? 200 : fields.status());
            console.render(
                    ctx,
                    "fields-review.jte",
                    new Model(new Frame(viewer, "Field catalog", "/governance"), fields, "unreviewed".equals(status)));
        }));
        // the path travels as a form field: a field key is any text an event sender chose, even "?x" or "/../"
        routes.post("/governance/fields", Access.OPEN, console.page(this::review));
    }

    private void review(Context ctx, Viewer viewer) {
        String path = ctx.formParam("path");
        if (path == null || path.isBlank()) {
            throw new dev.tandem.error.BadRequest(
                    "missing_path",
                    "Send the field's path, such as properties.tier, as the form field 'path'.",
                    "path");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("class", ctx.formParam("class"));
        Answer answer = console.api().put(viewer, "/v1/admin/fields/" + Paths.segment(path), body);
        var field = dev.tandem.config.Json.mapper().createObjectNode().put("path", path);
        if (answer.ok()) {
            field.put("fieldClass", answer.path("class").asText())
                    .put("classifiedBy", answer.path("classifiedBy").asText())
                    .put("reviewed", true);
            console.render(
                    ctx,
                    "field-row.jte",
                    new Row(
                            field,
                            "Saved: " + path + " is " + answer.path("class").asText() + ".",
                            false));
            return;
        }
        field.put("fieldClass", ctx.formParam("class") == null ? "" : ctx.formParam("class"));
        ctx.status(answer.status());
        console.render(ctx, "field-row.jte", new Row(field, answer.message(), true));
    }
}
