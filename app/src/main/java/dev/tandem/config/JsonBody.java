package dev.tandem.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.error.BadRequest;

/** The JSON body of an API call, or a 400 {@code invalid_json} that says where it breaks and shows a body that works. */
public final class JsonBody {
    private JsonBody() {}

    /**
     * Checks that a body is a JSON object with no fields but {@code fields}: 400 {@code invalid_body}
     * or {@code unknown_field} naming it and {@code what} has.
     */
    public static void requireObject(JsonNode body, java.util.Set<String> fields, String what, String example) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("invalid_body", "Send a JSON object such as " + example + ".");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!fields.contains(field)) {
                throw new BadRequest(
                        "unknown_field",
                        "Unknown field '" + field + "'; " + what + " has " + new java.util.TreeSet<>(fields) + ".",
                        field);
            }
        }
    }

    /**
     * The body as text, or a 400 {@code body_too_large} when it has more than {@code max} bytes:
     * "The body has N bytes; {@code what} may have at most max." and {@code advice} (may be empty).
     */
    public static String limited(byte[] raw, int max, String what, String advice) {
        if (raw.length > max) {
            throw new BadRequest(
                    "body_too_large",
                    "The body has " + raw.length + " bytes; " + what + " may have at most " + max + "."
                            + (advice.isEmpty() ? "" : " " + advice));
        }
        return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** @param example a body that would be accepted, shown in the error */
    public static JsonNode read(ObjectMapper mapper, String body, String example) {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new BadRequest(
                    "invalid_json",
                    "The body is not valid JSON" + where + ": " + e.getOriginalMessage() + ". Send JSON such as "
                            + example + ".");
        }
    }
}
