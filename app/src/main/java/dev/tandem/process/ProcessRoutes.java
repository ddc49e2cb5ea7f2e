package dev.tandem.process;

import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/admin/processor}: cursor, newest event, lag and state; {@code POST /v1/admin/replay}:
 * rebuild everything the pipeline derived, from the first stored event. Behind the admin token.
 */
public final class ProcessRoutes {
    private final Processor processor;

    public ProcessRoutes(Processor processor) {
        this.processor = processor;
    }

    public void register(Javalin app) {
        app.get("/v1/admin/processor", ctx -> ctx.json(view(processor.statusNow())));
        app.post("/v1/admin/replay", ctx -> {
            processor.replay();
            ctx.status(202).json(view(processor.status()));
        });
    }

    static Map<String, Object> view(ProcessorStatus s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", s.state());
        body.put("cursor", s.cursor());
        body.put("latest", s.latest());
        body.put("lagEvents", s.lagEvents());
        body.put("lastError", s.lastError());
        if (s.replayTarget() >= 0) {
            body.put("replayTarget", s.replayTarget());
        }
        return body;
    }
}
