package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.Source;
import dev.tandem.collect.Sources;
import dev.tandem.collect.StoredEvent;
import dev.tandem.error.BadRequest;
import dev.tandem.protect.FieldCatalog;
import dev.tandem.protect.FieldClass;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A first plan for a source, drafted from what it sent: the fields the field catalog has seen (and
 * their class) and, since the catalog keeps neither event names nor types, the source's stored
 * events, up to {@link #MAX_EVENTS} of them: each track event by name, identify traits, page and
 * screen properties, each field with the JSON types seen and {@code required} when every event had
 * it. The draft is in {@code allow} mode and names no owners: a person reviews it before it applies.
 */
final class PlanDraft {
    static final int MAX_EVENTS = 5_000;
    static final int MAX_NAMES = 500;

    private final Sources sources;
    private final InboxReader inbox;
    private final FieldCatalog catalog;

    PlanDraft(Sources sources, InboxReader inbox, FieldCatalog catalog) {
        this.sources = sources;
        this.inbox = inbox;
        this.catalog = catalog;
    }

    record Draft(ObjectNode plan, int events) {}

    Draft of(String sourceName, ObjectMapper mapper) {
        Source source = sources.byName(sourceName)
                .orElseThrow(() -> new BadRequest(
                        "unknown_source",
                        "No source is named '" + shorten(sourceName) + "'; see GET /v1/admin/sources.",
                        "source"));
        Map<String, FieldClass> classes = new HashMap<>();
        catalog.fields(false).forEach(f -> classes.put(f.path(), f.fieldClass()));
        Map<String, Inferred> tracks = new LinkedHashMap<>();
        Map<String, Inferred> calls = new LinkedHashMap<>();
        int read = 0;
        long after = 0;
        while (read < MAX_EVENTS) {
            var page = inbox.events(source.id(), after, Math.min(1_000, MAX_EVENTS - read));
            if (page.isEmpty()) {
                break;
            }
            for (StoredEvent stored : page) {
                read++;
                after = stored.seq();
                JsonNode event = parse(mapper, stored.payload());
                String type = event.path("type").asText();
                switch (type) {
                    case "track" -> {
                        String name = event.path("event").asText();
                        if (tracks.containsKey(name) || tracks.size() < MAX_NAMES) {
                            tracks.computeIfAbsent(name, n -> new Inferred()).add(event.get("properties"));
                        }
                    }
                    case "identify" ->
                        calls.computeIfAbsent(type, n -> new Inferred()).add(event.get("traits"));
                    case "page", "screen" ->
                        calls.computeIfAbsent(type, n -> new Inferred()).add(event.get("properties"));
                    default -> {}
                }
            }
        }
        ObjectNode plan = mapper.createObjectNode().put("key", sourceName);
        plan.putArray("sources").add(sourceName);
        plan.put("mode", "allow");
        plan.putArray("owners");
        ObjectNode events = plan.putObject("events");
        tracks.forEach((name, inferred) -> events.set(name, inferred.schema(mapper, "properties", classes)));
        calls.forEach((type, inferred) ->
                plan.set(type, inferred.schema(mapper, type.equals("identify") ? "traits" : "properties", classes)));
        return new Draft(plan, read);
    }

    private static JsonNode parse(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored event is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
