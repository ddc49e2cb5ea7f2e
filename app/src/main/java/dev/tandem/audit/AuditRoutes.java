package dev.tandem.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.wire.Cursors;
import dev.tandem.wire.EventTime;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/audit} (filters: actor, object, kind, since, until; paged with {@code after}),
 * {@code GET /v1/audit/verify} (optionally against an exported checkpoint's {@code size} and
 * {@code root}) and {@code GET /v1/audit/checkpoint} (a signed checkpoint of the log as it is now, to
 * keep outside Tandem). The admin token or an API token with {@code audit:read}.
 */
final class AuditRoutes {
    static final Access READ = Access.scope("audit:read");
    private static final Cursors PAGES = new Cursors("after", 100, 1_000);

    private final AuditLog log;
    private final AuditVerifier verifier;
    private final Checkpoints checkpoints;
    private final ObjectMapper mapper;

    AuditRoutes(AuditLog log, AuditVerifier verifier, Checkpoints checkpoints, ObjectMapper mapper) {
        this.log = log;
        this.verifier = verifier;
        this.checkpoints = checkpoints;
        this.mapper = mapper;
    }

    void register(Routes routes) {
        routes.get("/v1/audit", READ, this::list);
        routes.get("/v1/audit/verify", READ, this::verify);
        routes.get("/v1/audit/checkpoint", READ, this::checkpoint);
    }

    private void list(Context ctx) {
        String kind = ctx.queryParam("kind");
        if (kind != null && AuditKind.named(kind).isEmpty()) {
            throw new BadRequest(
                    "invalid_kind",
                    "'kind' must be one of "
                            + Arrays.stream(AuditKind.values())
                                    .map(AuditKind::wireName)
                                    .toList() + ".",
                    "kind");
        }
        AuditLog.Filter filter = new AuditLog.Filter(
                text(ctx, "actor"), text(ctx, "object"), kind, time(ctx, "since"), time(ctx, "until"));
        int limit = PAGES.limit(ctx);
        List<AuditEntry> entries = log.page(filter, PAGES.after(ctx), limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", entries.stream().map(this::json).toList());
        out.put(
                "next",
                entries.size() < limit ? null : Cursors.cursor(entries.getLast().id()));
        ctx.json(out);
    }

    private void verify(Context ctx) {
        String size = ctx.queryParam("size");
        String root = ctx.queryParam("root");
        Checkpoint exported = null;
        if (size != null || root != null) {
            long n = size == null ? -1 : parsePositive(size);
            if (n < 1 || root == null || !root.matches("[0-9a-f]{64}")) {
                throw new BadRequest(
                        "invalid_checkpoint",
                        "To verify against an exported checkpoint pass both 'size' (a whole number from 1) and"
                                + " 'root' (its 64 lower-case hex digits), as 'tandem audit verify --checkpoint FILE' does.",
                        n < 1 ? "size" : "root");
            }
            exported = new Checkpoint(n, root, 0, "", "");
        }
        Verdict v = verifier.verify(exported);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", v.valid());
        out.put("entries", v.entries());
        out.put("firstInvalid", v.firstInvalid());
        out.put("reason", v.reason());
        out.put("checkpoints", v.checkpoints());
        out.put("checkpointed", v.checkpointed());
        out.put("unanchored", v.unanchored());
        ctx.json(out);
    }

    private void checkpoint(Context ctx) {
        Checkpoint c = checkpoints
                .of(log.head())
                .orElseThrow(() -> new NotFound(
                        "empty_audit_log", "The audit log has no entries yet, so there is nothing to sign."));
        ctx.json(json(c));
    }

    static Map<String, Object> json(Checkpoint c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("size", c.size());
        out.put("root", c.root());
        out.put("at", EventTime.format(Instant.ofEpochMilli(c.at())));
        out.put("atMillis", c.at());
        out.put("signature", c.signature());
        out.put("publicKey", c.publicKey());
        out.put("algorithm", "Ed25519");
        return out;
    }

    private Map<String, Object> json(AuditEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("at", EventTime.format(Instant.ofEpochMilli(e.at())));
        out.put("actor", e.actor());
        out.put("kind", e.kind());
        out.put("object", e.object());
        try {
            out.put("detail", mapper.readTree(e.detail()));
        } catch (java.io.IOException ex) {
            // an edited row may hold anything; show it as text rather than fail the listing
            out.put("detail", e.detail());
        }
        out.put("hash", e.hash());
        return out;
    }

    private static String text(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > AuditLog.MAX_NAME) {
            throw new BadRequest(
                    "invalid_" + name, "'" + name + "' is at most " + AuditLog.MAX_NAME + " characters.", name);
        }
        return value;
    }

    private static Long time(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant at = value.length() > 64 ? null : EventTime.parse(value);
        if (at == null) {
            throw new BadRequest(
                    "invalid_" + name, "'" + name + "' must be an ISO-8601 time such as 2026-12-01T09:00:00Z.", name);
        }
        return at.toEpochMilli();
    }

    private static long parsePositive(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
