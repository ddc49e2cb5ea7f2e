package dev.tandem.govern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.error.Conflict;
import dev.tandem.module.Access;
import dev.tandem.module.Caller;
import dev.tandem.module.Routes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Privacy requests, shaped like OpenDSR 1.0: {@code GET /opendsr/discovery},
 * {@code POST /opendsr/requests}, {@code GET /opendsr/requests/{id}} (status, due date,
 * completion), {@code GET /opendsr/requests/{id}/export} (the access file), and
 * {@code GET /opendsr/requests} (a list for stewards). Behind the admin token.
 */
final class PrivacyRoutes {
    private static final String EXAMPLE = "{\"subject_request_id\": \"a7551968-d5d6-44b2-9831-815ac9017798\", "
            + "\"subject_request_type\": \"erasure\", \"submitted_time\": \"2026-11-20T10:00:00Z\", \"subject_identities\": "
            + "[{\"identity_type\": \"email\", \"identity_value\": \"ann@example.com\", \"identity_format\": \"raw\"}]}";
    private static final Set<String> FIELDS = Set.of(
            "subject_request_id",
            "subject_request_type",
            "submitted_time",
            "subject_identities",
            "api_version",
            "status_callback_urls",
            "property_id",
            "extensions",
            "regulation");

    private final PrivacyRequests requests;
    private final AccessExport export;
    private final ObjectMapper mapper;
    private final java.util.function.Supplier<String> publicUrl;

    /** @param publicUrl where clients reach Tandem, for links (never the request's Host header) */
    public PrivacyRoutes(
            PrivacyRequests requests,
            AccessExport export,
            ObjectMapper mapper,
            java.util.function.Supplier<String> publicUrl) {
        this.publicUrl = publicUrl;
        this.requests = requests;
        this.export = export;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get("/opendsr/discovery", Access.ADMIN, ctx -> ctx.json(discovery()));
        routes.post("/opendsr/requests", Access.ADMIN, this::submit);
        routes.get(
                "/opendsr/requests",
                Access.ADMIN,
                ctx -> ctx.json(Map.of(
                        "requests",
                        requests.list(100).stream().map(r -> status(ctx, r)).toList())));
        routes.get(
                "/opendsr/requests/{id}",
                Access.ADMIN,
                ctx -> ctx.json(status(ctx, requests.get(ctx.pathParam("id")))));
        routes.get("/opendsr/requests/{id}/export", Access.ADMIN, this::export);
    }

    private void submit(Context ctx) {
        JsonNode body = JsonBody.read(mapper, ctx.body(), EXAMPLE);
        JsonBody.requireObject(body, FIELDS, "a privacy request", EXAMPLE);
        PrivacyRequest r = requests.submit(body, Caller.of(ctx));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("controller_id", "tandem");
        out.put("subject_request_id", r.id());
        out.put("received_time", PrivacyRequests.time(r.times().received()));
        out.put("expected_completion_time", PrivacyRequests.time(r.times().due()));
        out.put("request_status", r.status().wireName());
        ctx.status(201).json(out);
    }

    private void export(Context ctx) {
        PrivacyRequest r = requests.get(ctx.pathParam("id"));
        if (r.erasure()) {
            throw new Conflict(
                    "not_an_access_request",
                    "Request " + r.id() + " is an erasure; only access and portability requests have an export.",
                    "id");
        }
        if (r.status() != PrivacyRequest.Status.COMPLETED) {
            throw new Conflict(
                    "not_completed",
                    "Request " + r.id() + " is still " + r.status().wireName()
                            + "; fetch the export once it is completed.",
                    "id");
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + r.id() + ".json\"");
        ctx.json(export.of(r));
    }

    /** The request as OpenDSR's status response shows it, with what was done ({@code result}) as JSON. */
    private Map<String, Object> status(Context ctx, PrivacyRequest r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("controller_id", "tandem");
        out.put("subject_request_id", r.id());
        out.put("subject_request_type", r.type().wireName());
        out.put("request_status", r.status().wireName());
        if (r.reason() != null) {
            out.put("status_reason", r.reason());
        }
        out.put("api_version", "1.0");
        out.put("submitted_time", PrivacyRequests.time(r.times().submitted()));
        out.put("received_time", PrivacyRequests.time(r.times().received()));
        out.put("expected_completion_time", PrivacyRequests.time(r.times().due()));
        out.put(
                "completed_time",
                r.times().completed() == 0
                        ? null
                        : PrivacyRequests.time(r.times().completed()));
        if (!r.erasure() && r.status() == PrivacyRequest.Status.COMPLETED) {
            out.put("results_url", publicUrl.get() + "/opendsr/requests/" + r.id() + "/export");
        }
        try {
            out.put("result", r.result() == null ? null : mapper.readTree(r.result()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored request result is not JSON", e);
        }
        return out;
    }

    private static Map<String, Object> discovery() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("api_version", "1.0");
        List<Map<String, String>> identities = new ArrayList<>();
        new java.util.TreeSet<>(PrivacyRequests.IDENTITY_TYPES.keySet())
                .forEach(t -> identities.add(Map.of("identity_type", t, "identity_format", "raw")));
        out.put("supported_identities", identities);
        out.put("supported_subject_request_types", PrivacyRequest.Type.WIRE_NAMES);
        out.put("processor_certificate", null);
        return out;
    }
}
