package dev.tandem.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.StoredEvent;
import dev.tandem.config.JsonText;
import dev.tandem.error.BadRequest;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.wire.Cursors;
import dev.tandem.wire.EventTime;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/admin/processor}: cursor, newest event, lag, state and events set aside;
 * {@code POST /v1/admin/replay}: rebuild everything the pipeline derived, from the first stored
 * event; {@code GET /v1/admin/processor/set-aside}: the processing quarantine, each event with the
 * stage that failed and why; {@code POST /v1/admin/processor/set-aside/replay}: apply them again once
 * the cause is fixed. Behind the admin token.
 */
final class ProcessRoutes {
    private static final Cursors PAGES = new Cursors("after", 100, 1_000);
    private static final int MAX_SEQS = 10_000;

    private final Processor processor;
    private final InboxReader inbox;
    private final ObjectMapper mapper;

    public ProcessRoutes(Processor processor, InboxReader inbox, ObjectMapper mapper) {
        this.processor = processor;
        this.inbox = inbox;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get("/v1/admin/processor", Access.ADMIN, ctx -> ctx.json(view(processor.statusNow())));
        routes.post("/v1/admin/replay", Access.ADMIN, ctx -> {
            processor.replay();
            ctx.status(202).json(view(processor.status()));
        });
        routes.get("/v1/admin/processor/set-aside", Access.ADMIN, this::setAside);
        routes.post("/v1/admin/processor/set-aside/replay", Access.ADMIN, this::replay);
    }

    private void setAside(Context ctx) {
        long after = PAGES.after(ctx);
        List<SetAsideEvent> page = processor.setAside(after, PAGES.limit(ctx), "true".equals(ctx.queryParam("all")));
        Map<Long, String> payloads = new LinkedHashMap<>();
        for (StoredEvent stored :
                inbox.eventsAt(page.stream().map(SetAsideEvent::seq).toList())) {
            payloads.put(stored.seq(), stored.payload());
        }
        ObjectNode body = mapper.createObjectNode();
        var items = body.putArray("events");
        for (SetAsideEvent e : page) {
            ObjectNode item = items.addObject();
            item.put("seq", e.seq());
            item.put("stage", e.stage());
            item.put("reason", e.reason());
            item.put("setAsideAt", EventTime.format(Instant.ofEpochMilli(e.setAsideAt())));
            item.put("attempts", e.attempts());
            item.put("replayAsked", e.replayAsked());
            item.put(
                    "replayedAt",
                    e.replayedAt() == null ? null : EventTime.format(Instant.ofEpochMilli(e.replayedAt())));
            String payload = payloads.get(e.seq());
            item.set("event", payload == null ? mapper.nullNode() : JsonText.readOrText(payload));
        }
        body.put(
                "next",
                Long.toString(page.isEmpty() ? after : page.get(page.size() - 1).seq()));
        ctx.json(body);
    }

    /** Body {@code {"seqs": [12, 40]}} for those events, or {@code {"all": true}} for every one still set aside. */
    private void replay(Context ctx) {
        JsonNode body;
        try {
            body = mapper.readTree(ctx.body());
        } catch (Exception e) {
            throw new BadRequest("invalid_json", "The body must be JSON: {\"seqs\": [12, 40]} or {\"all\": true}.");
        }
        List<Long> seqs = new ArrayList<>();
        if (body != null && body.path("all").isBoolean() && body.path("all").booleanValue()) {
            seqs = List.of();
        } else if (body != null && body.path("seqs").size() > MAX_SEQS) {
            throw new BadRequest(
                    "too_many_seqs",
                    "At most " + MAX_SEQS + " events can be named in one replay; send several, "
                            + "or {\"all\": true}.",
                    "seqs");
        } else if (body != null
                && body.path("seqs").isArray()
                && !body.path("seqs").isEmpty()) {
            for (JsonNode seq : body.path("seqs")) {
                if (!seq.canConvertToExactIntegral() || !seq.canConvertToLong() || seq.asLong() <= 0) {
                    throw new BadRequest(
                            "invalid_seq",
                            "Every entry of 'seqs' must be an event's seq (a positive whole number), as listed.",
                            "seqs");
                }
                seqs.add(seq.asLong());
            }
        } else {
            throw new BadRequest(
                    "missing_seqs", "Name the events to replay: {\"seqs\": [12, 40]}, or {\"all\": true}.", "seqs");
        }
        int asked = processor.replaySetAside(seqs);
        ctx.status(202).json(Map.of("replayAsked", asked));
    }

    static Map<String, Object> view(ProcessorStatus s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", s.state().wireName());
        body.put("cursor", s.cursor());
        body.put("latest", s.latest());
        body.put("lagEvents", s.lagEvents());
        body.put("lastError", s.lastError());
        if (s.setAside() >= 0) {
            body.put("setAside", s.setAside());
        }
        body.put("backgroundError", s.backgroundError());
        if (s.replayTarget() >= 0) {
            body.put("replayTarget", s.replayTarget());
        }
        return body;
    }
}
