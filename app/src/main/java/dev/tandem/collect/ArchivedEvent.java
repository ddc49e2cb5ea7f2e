package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One archived inbox event, one line of an events file:
 * {@code {"seq":…,"source":…,"receivedAt":…,"profile":…,"payload":"…"}}. The payload is the inbox
 * row's text exactly as stored (sealed values stay sealed); {@code profile} is the profile the
 * event was applied to when it was archived (null when none), so that an erasure finds it.
 */
public record ArchivedEvent(long seq, String sourceId, long receivedAt, Long profile, String payload) {

    public StoredEvent stored() {
        return new StoredEvent(seq, sourceId, payload);
    }

    String json(ObjectMapper mapper) {
        ObjectNode line = mapper.createObjectNode()
                .put("seq", seq)
                .put("source", sourceId)
                .put("receivedAt", receivedAt);
        if (profile == null) {
            line.putNull("profile");
        } else {
            line.put("profile", profile);
        }
        line.put("payload", payload);
        try {
            return mapper.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ArchivedEvent parse(ObjectMapper mapper, String line) {
        try {
            JsonNode n = mapper.readTree(line);
            JsonNode profile = n.path("profile");
            return new ArchivedEvent(
                    n.path("seq").asLong(),
                    n.path("source").asText(),
                    n.path("receivedAt").asLong(),
                    profile.isNumber() ? profile.asLong() : null,
                    n.path("payload").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("An archive line is not JSON: " + e.getMessage(), e);
        }
    }
}
