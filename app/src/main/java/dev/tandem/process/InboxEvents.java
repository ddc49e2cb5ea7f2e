package dev.tandem.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.collect.StoredEvent;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.wire.EventTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Events read back from the inbox for the pipeline: parsed, with the time the stages go by. */
final class InboxEvents {
    private InboxEvents() {}

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
