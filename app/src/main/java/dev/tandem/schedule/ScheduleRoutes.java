package dev.tandem.schedule;

import dev.tandem.error.BadRequest;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/admin/jobs}: per kind the jobs due now and the next due time (kinds in the table
 * that nothing registered are marked), and the failing jobs, most recent failure first, each with
 * its attempts, last error and next attempt; {@code ?limit=} caps that list (default 100, at most
 * 1,000). The server declares the route behind the admin token (this package sits below the
 * module layer, which schedules through it).
 */
public final class ScheduleRoutes {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1_000;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Scheduler scheduler;

    public ScheduleRoutes(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** The handler of {@code GET /v1/admin/jobs}; the server declares the route, behind the admin token. */
    public void jobs(Context ctx) {
        ScheduleStatus status = scheduler.status(limit(ctx.queryParam("limit")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", time(status.at()));
        body.put("kinds", status.kinds().stream().map(this::kind).toList());
        body.put("failingTotal", status.failingTotal());
        body.put(
                "failing",
                status.failing().stream().map(ScheduleRoutes::failing).toList());
        ctx.json(body);
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 0 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new BadRequest("invalid_limit", "'limit' must be a whole number from 0 to " + MAX_LIMIT + ".", "limit");
    }

    private Map<String, Object> kind(ScheduleStatus.KindStatus k) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", k.kind());
        item.put("lane", k.lane() == null ? null : k.lane().name().toLowerCase(java.util.Locale.ROOT));
        item.put("registered", k.registered());
        item.put("due", k.due());
        item.put("nextDueAt", time(k.nextDueAt()));
        scheduler.progress(k.kind()).ifPresent(p -> {
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("state", p.state());
            progress.put("unit", p.unit());
            progress.put("done", p.done());
            progress.put("remaining", p.remaining());
            progress.put("passStartedAt", time(p.passStartedAt()));
            item.put("progress", progress);
        });
        return item;
    }

    private static Map<String, Object> failing(ScheduleStatus.FailingJob f) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", f.kind());
        item.put("key", f.key());
        item.put("attempts", f.attempts());
        item.put("lastError", f.lastError());
        item.put("failedAt", time(f.failedAt()));
        item.put("nextAttemptAt", time(f.nextAttemptAt()));
        return item;
    }

    private static String time(Instant at) {
        return at == null ? null : TIME.format(at);
    }
}
