package dev.tandem.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.collect.EventLog;
import dev.tandem.collect.StoredEvent;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.wire.EventTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events read back from the inbox for the pipeline: parsed, with the time the stages go by. */
final class InboxEvents {
    private InboxEvents() {}

    /** A page of the inbox after a seq, parsed: an item for each event that reads, the reason for each that does not. */
    record Page(
            long after, List<StoredEvent> events, List<BatchItem> items, Map<StoredEvent, StageFailure> unreadable) {}

    /** Parses and opens these events (read after {@code after}). */
    static Page parse(ObjectMapper mapper, EventLog inbox, long after, List<StoredEvent> events) {
        List<BatchItem> items = new ArrayList<>(events.size());
        Map<StoredEvent, StageFailure> unreadable = new LinkedHashMap<>(0);
        for (StoredEvent stored : events) {
            try {
                BatchItem item = parse(mapper, stored);
                inbox.open(stored.payload(), item.event());
                items.add(item);
            } catch (RuntimeException e) {
                unreadable.put(stored, new StageFailure("read", e));
            }
        }
        return new Page(after, events, items, unreadable);
    }

    static BatchItem parse(ObjectMapper mapper, StoredEvent stored) {
        try {
            JsonNode event = mapper.readTree(stored.payload());
            return new BatchItem(stored.seq(), stored.sourceId(), event, time(event), stored.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("inbox event " + stored.seq() + " is not JSON", e);
        }
    }

    /** When the event was received by Tandem, epoch milliseconds; 0 when it says nothing readable. */
    static long receivedAt(JsonNode event) {
        Instant at = EventTime.parse(event.path("receivedAt").asText(""));
        return at == null ? 0 : at.toEpochMilli();
    }

    private static long time(JsonNode event) {
        // The collector always stores a corrected timestamp; receivedAt is only a fallback.
        Instant at = EventTime.parse(event.path("timestamp").asText(""));
        return at != null ? at.toEpochMilli() : receivedAt(event);
    }
}
