package dev.tandem.server;

import dev.tandem.collect.DiskGuard;
import dev.tandem.collect.InboxWriter;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.store.Database;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} (the process is up), {@code /ready} (it can take events), {@code /metrics} (Prometheus). */
final class OpsRoutes {
    private OpsRoutes() {}

    static void register(
            Routes routes, Database database, InboxWriter writer, DiskGuard disk, PrometheusMeterRegistry meters) {
        routes.get("/health", Access.OPEN, ctx -> ctx.json(Map.of("status", "up")));
        routes.get("/ready", Access.OPEN, ctx -> {
            Map<String, Object> checks = new LinkedHashMap<>();
            boolean db = database.isReachable();
            checks.put("database", db ? "ok" : "unreachable");
            checks.put("inbox", writer.lastFailure() == null ? "ok" : writer.lastFailure());
            checks.put("disk", disk.isLow() ? "below reserve" : "ok");
            boolean ready = db && writer.lastFailure() == null && !disk.isLow();
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "not_ready", "checks", checks));
        });
        routes.get(
                "/metrics",
                Access.OPEN,
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(meters.scrape()));
    }
}
