package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;

/** What the JSON API answered a console call: its status and body (an error's words when it refused). */
record Answer(int status, JsonNode body) {
    /** A call that got no answer at all (the loopback failed), in the shape of an API error. */
    static Answer failed(String message) {
        return new Answer(502, errorBody(message));
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** What the console answers itself, without asking, for a part the viewer's role does not open. */
    static Answer refused(String message) {
        return new Answer(403, errorBody(message));
    }

    /** The API's error message, or a plain one when the body has none. */
    String message() {
        String m = body.path("error").path("message").asText("");
        return m.isEmpty() ? "Tandem answered " + status + "." : m;
    }

    /** The field an error names, or "" when it names none. */
    String field() {
        return body.path("error").path("field").asText("");
    }

    JsonNode path(String name) {
        return body.path(name);
    }

    private static JsonNode errorBody(String message) {
        var node = dev.tandem.config.Json.mapper().createObjectNode();
        node.putObject("error").put("code", "unavailable").put("message", message);
        return node;
    }
}
