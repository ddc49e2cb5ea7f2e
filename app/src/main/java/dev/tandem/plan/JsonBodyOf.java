package dev.tandem.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A stored declaration read back; one that is not JSON was not written by this package, so it throws. */
final class JsonBodyOf {
    private JsonBodyOf() {}

    static JsonNode parse(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored tracking plan is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
