package dev.tandem.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A value as JSON text, for columns that keep JSON; a value Jackson cannot write is a bug, so it throws unchecked. */
public final class JsonText {
    private static final ObjectMapper MAPPER = Json.mapper();

    private JsonText() {}

    /**
     * A stored JSON column read back: its JSON, or the text itself when it is not JSON (a row
     * written by an older version, or refused input), so that a listing never fails on one row.
     */
    public static com.fasterxml.jackson.databind.JsonNode readOrText(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(text);
        }
    }

    public static String of(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "Cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
