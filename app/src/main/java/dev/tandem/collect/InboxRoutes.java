package dev.tandem.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.wire.Cursors;
import dev.tandem.wire.EventTime;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * Reading back what collection stored: {@code GET /v1/events} and {@code GET /v1/quarantine},
 * cursor-paged, and {@code POST /v1/quarantine/{id}/replay} to re-submit a fixed event. The
 * server puts these behind the admin token.
 */
final class InboxRoutes {
    private final InboxReader reader;
    private final Sources sources;
    private final Collector collector;
    private final ObjectMapper mapper;
    private final java.time.Clock clock;

    public InboxRoutes(
            InboxReader reader, Sources sources, Collector collector, ObjectMapper mapper, java.time.Clock clock) {
        this.clock = clock;
        this.reader = reader;
        this.sources = sources;
        this.collector = collector;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get("/v1/events", Access.ADMIN, this::events);
        routes.get("/v1/quarantine", Access.ADMIN, this::quarantine);
        routes.post("/v1/quarantine/{id}/replay", Access.ADMIN, this::replay);
    }

    private void events(Context ctx) {
        long after = Cursors.READ_BACK.after(ctx);
        List<StoredEvent> page = reader.events(sourceId(ctx), after, Cursors.READ_BACK.limit(ctx));
        StringBuilder json = new StringBuilder(page.size() * 512 + 64).append("{\"events\":[");
        for (int i = 0; i < page.size(); i++) {
            json.append(i == 0 ? "" : ",").append(page.get(i).payload());
        }
        long next = page.isEmpty() ? after : page.get(page.size() - 1).seq();
        json.append("],\"next\":\"").append(Cursors.cursor(next)).append("\"}");
        ctx.contentType("application/json").result(json.toString());
    }

    private void quarantine(Context ctx) {
        long after = Cursors.READ_BACK.after(ctx);
        boolean all = "true".equals(ctx.queryParam("all"));
        List<QuarantinedEvent> page = reader.quarantine(sourceId(ctx), after, Cursors.READ_BACK.limit(ctx), all);
        java.util.Map<String, String> names = new java.util.HashMap<>();
        sources.list().forEach(s -> names.put(s.id(), s.name()));
        ObjectNode body = mapper.createObjectNode();
        var items = body.putArray("events");
        for (QuarantinedEvent q : page) {
            ObjectNode item = items.addObject();
            item.put("id", q.id());
            item.put("source", names.getOrDefault(q.sourceId(), q.sourceId()));
            item.put("receivedAt", EventTime.format(Instant.ofEpochMilli(q.receivedAt())));
            ObjectNode reason = item.putObject("reason");
            reason.put("code", q.reason().code());
            reason.put("message", q.reason().message());
            reason.put("field", q.reason().field());
            item.set("event", dev.tandem.config.JsonText.readOrText(q.payload()));
            if (q.replayedAt() == null) {
                item.putNull("replayedAt");
            } else {
                item.put("replayedAt", EventTime.format(Instant.ofEpochMilli(q.replayedAt())));
            }
        }
        body.put(
                "next",
                Cursors.cursor(
                        page.isEmpty() ? after : page.get(page.size() - 1).id()));
        ctx.json(body);
    }

    /** Re-submits a quarantined event: the fixed event in the body, or the stored one when the body is empty. */
    private void replay(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new BadRequest("invalid_id", "The quarantine id must be a number.", "id");
        }
        QuarantinedEvent q = reader.quarantined(id)
                .orElseThrow(() -> new NotFound("not_in_quarantine", "No quarantined event has id " + id + "."));
        if (q.replayedAt() != null) {
            throw new Conflict("already_replayed", "Quarantined event " + id + " was replayed already.", "id");
        }
        byte[] body = ctx.bodyAsBytes();
        JsonNode fixed = body.length == 0
                ? parse(q.payload())
                : parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        if (!(fixed instanceof ObjectNode event)) {
            throw new BadRequest("invalid_event", "The replayed event must be a JSON object.");
        }
        Source source = sources.byId(q.sourceId())
                .orElseThrow(() ->
                        new NotFound("unknown_source", "The source of quarantined event " + id + " no longer exists."));
        Receipt receipt = collector.replay(source, event, body.length);
        reader.markReplayed(id, clock.millis());
        ctx.json(receipt);
    }

    private String sourceId(Context ctx) {
        String name = ctx.queryParam("source");
        if (name == null || name.isEmpty()) {
            return null;
        }
        return sources.byName(name)
                .map(Source::id)
                .orElseThrow(() -> new BadRequest(
                        "unknown_source", "No source is named '" + name + "'; see GET /v1/admin/sources.", "source"));
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadRequest(
                    "invalid_json",
                    "The body is not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + ".");
        }
    }
}
