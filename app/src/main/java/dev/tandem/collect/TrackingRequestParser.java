package dev.tandem.collect;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.BadRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses tracking bodies. A batch is read with the streaming parser so that each event's size
 * as sent is known from the byte offsets, without serialising it again.
 */
final class TrackingRequestParser {
    private final ObjectMapper mapper;
    private final Limits limits;

    TrackingRequestParser(ObjectMapper mapper, Limits limits) {
        this.mapper = mapper;
        this.limits = limits;
    }

    /** A single-event body, such as {@code /v1/track}'s. */
    TrackingRequest single(byte[] body) {
        JsonNode node = readTree(body);
        if (!(node instanceof ObjectNode event)) {
            throw new BadRequest("invalid_body", "The body must be a JSON object holding one event.");
        }
        String writeKey = textOrNull(event.get("writeKey"));
        return new TrackingRequest(
                List.of(new TrackingRequest.Incoming(0, event, body.length, null)), writeKey, null, null, null);
    }

    /** A batch body: {@code {"batch": [...], "context", "integrations", "sentAt", "writeKey"}}. */
    TrackingRequest batch(byte[] body) {
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequest("invalid_body", "The body must be a JSON object with a 'batch' array.");
            }
            List<TrackingRequest.Incoming> events = null;
            String writeKey = null;
            String sentAt = null;
            ObjectNode context = null;
            ObjectNode integrations = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "batch" -> events = items(p, value);
                    case "writeKey" -> writeKey = value == JsonToken.VALUE_STRING ? p.getText() : skip(p, null);
                    case "sentAt" ->
                        sentAt = value == JsonToken.VALUE_STRING
                                ? p.getText()
                                : value == JsonToken.VALUE_NULL ? null : String.valueOf((JsonNode) p.readValueAsTree());
                    case "context" -> context = objectOrNull(p, value, "context");
                    case "integrations" -> integrations = objectOrNull(p, value, "integrations");
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new BadRequest(
                        "invalid_json",
                        "Unexpected content after the JSON object at " + at(p.currentTokenLocation()) + ".");
            }
            if (events == null) {
                throw new BadRequest("missing_batch", "The body has no 'batch' array of events.", "batch");
            }
            return new TrackingRequest(events, writeKey, sentAt, context, integrations);
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<TrackingRequest.Incoming> items(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new BadRequest("invalid_batch", "'batch' must be an array of events.", "batch");
        }
        List<TrackingRequest.Incoming> items = new ArrayList<>();
        int index = 0;
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; index++) {
            if (index >= limits.maxBatchEvents()) {
                throw new BadRequest(
                        "batch_too_many_events",
                        "A batch holds at most " + limits.maxBatchEvents() + " events; split it into smaller batches.",
                        "batch");
            }
            long start = p.currentTokenLocation().getByteOffset();
            JsonNode node = p.readValueAsTree();
            int bytes = (int) (p.currentLocation().getByteOffset() - start);
            if (t == JsonToken.START_OBJECT) {
                items.add(new TrackingRequest.Incoming(index, (ObjectNode) node, bytes, null));
            } else {
                items.add(new TrackingRequest.Incoming(index, null, bytes, String.valueOf(node)));
            }
        }
        return items;
    }

    private static ObjectNode objectOrNull(JsonParser p, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new BadRequest("invalid_field", "The batch's '" + field + "' must be an object.", field);
        }
        return p.readValueAsTree();
    }

    private static String skip(JsonParser p, String result) throws IOException {
        p.skipChildren();
        return result;
    }

    private JsonNode readTree(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new BadRequest("invalid_json", "The body is empty; send a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BadRequest invalidJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at " + at(e.getLocation());
        return new BadRequest(
                "invalid_json", "The body is not valid JSON" + where + ": " + e.getOriginalMessage() + ".");
    }

    private static String at(JsonLocation location) {
        return "line " + location.getLineNr() + ", column " + location.getColumnNr() + " (byte "
                + location.getByteOffset() + ")";
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
