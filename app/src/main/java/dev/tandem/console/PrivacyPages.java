package dev.tandem.console;

import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Privacy requests: the list with due dates, one request with what was done, and a form that starts
 * an access, portability or erasure request through {@code POST /opendsr/requests} with the viewer's
 * session, so the API decides who may start one and checks the identity given.
 */
final class PrivacyPages {
    static final List<String> TYPES = List.of("access", "portability", "erasure");
    static final List<String> IDENTITIES =
            List.of("email", "phone_number", "controller_customer_id", "anonymous_id", "device_id");

    record ListModel(Frame frame, Answer requests, Start start) {}

    record OneModel(Frame frame, String id, Answer request) {}

    /** The start form as typed, and its outcome in words once sent. */
    record Start(String type, String identityType, String identityValue, String message, boolean failed, String id) {
        static Start blank() {
            return new Start("access", "email", "", "", false, "");
        }
    }

    private final Console console;

    PrivacyPages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/governance/privacy", Access.OPEN, console.page((ctx, viewer) -> {
            Answer requests = console.api().get(viewer, "/opendsr/requests");
            ctx.status(requests.ok() ? 200 : requests.status());
            console.render(
                    ctx,
                    "privacy.jte",
                    new ListModel(new Frame(viewer, "Privacy requests", "/governance"), requests, Start.blank()));
        }));
        routes.get("/governance/privacy/{id}", Access.OPEN, console.page((ctx, viewer) -> {
            String id = ctx.pathParam("id");
            Answer request = console.api().get(viewer, "/opendsr/requests/" + Paths.segment(id));
            ctx.status(request.ok() ? 200 : request.status());
            console.render(
                    ctx,
                    "privacy-request.jte",
                    new OneModel(new Frame(viewer, "Privacy request", "/governance"), id, request));
        }));
        routes.post("/governance/privacy", Access.OPEN, console.page(this::start));
    }

    private void start(Context ctx, Viewer viewer) {
        String type = text(ctx.formParam("type"));
        String identityType = text(ctx.formParam("identity_type"));
        String value = text(ctx.formParam("identity_value"));
        if (value.isEmpty()) {
            answer(
                    ctx,
                    400,
                    new Start(
                            type,
                            identityType,
                            value,
                            "Give the subject's identifier, such as their email address.",
                            true,
                            ""));
            return;
        }
        String id = UUID.randomUUID().toString();
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("identity_type", identityType);
        identity.put("identity_value", value);
        identity.put("identity_format", "raw");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject_request_id", id);
        body.put("subject_request_type", type);
        body.put("subject_identities", List.of(identity));
        Answer answer = console.api().post(viewer, "/opendsr/requests", body);
        if (!answer.ok()) {
            answer(ctx, answer.status(), new Start(type, identityType, value, answer.message(), true, ""));
            return;
        }
        answer(
                ctx,
                201,
                new Start(
                        type,
                        identityType,
                        "",
                        "Started " + type + " request " + id + ": "
                                + answer.path("request_status").asText() + ", due "
                                + Show.time(answer.path("expected_completion_time")) + ".",
                        false,
                        id));
    }

    private void answer(Context ctx, int status, Start start) {
        ctx.status(status);
        console.render(ctx, "privacy-start.jte", start);
    }

    private static String text(String s) {
        return s == null ? "" : s.trim();
    }
}
