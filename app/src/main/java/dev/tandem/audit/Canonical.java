package dev.tandem.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Canonical JSON for hashing: object keys sorted, no white space, Jackson's escaping. The same value
 * always gives the same text, so a verifier recomputes a hash from the stored text alone.
 */
final class Canonical {
    private Canonical() {}

    static String json(ObjectMapper mapper, JsonNode value) {
        try {
            return mapper.writeValueAsString(sorted(mapper, value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit entry's detail as JSON", e);
        }
    }

    /** A JSON string literal of {@code text}, escaped as Jackson escapes strings when it writes them. */
    static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static JsonNode sorted(ObjectMapper mapper, JsonNode value) {
        if (value.isObject()) {
            List<String> names = new ArrayList<>();
            value.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = mapper.createObjectNode();
            names.forEach(n -> out.set(n, sorted(mapper, value.get(n))));
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = mapper.createArrayNode();
            value.forEach(v -> out.add(sorted(mapper, v)));
            return out;
        }
        return value;
    }
}
