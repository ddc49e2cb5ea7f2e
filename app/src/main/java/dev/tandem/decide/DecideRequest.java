package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.identity.Identifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /v1/decide} body: {@code {"placement": "home_hero", "userId": "u-42",
 * "userToken": "...", "anonymousId": "a-1", "context": {...}}}. As on a tracking call,
 * {@code userId} or {@code anonymousId} names the visitor; the user id is tried first. With a
 * write key, a user id needs the {@code userToken} the site's backend signed for it (and the
 * token alone names the user).
 */
record DecideRequest(String placement, String userId, String userToken, String anonymousId, JsonNode context) {
    private static final Set<String> FIELDS = Set.of("placement", "userId", "userToken", "anonymousId", "context");

    static DecideRequest from(JsonNode body) {
        JsonBody.requireObject(
                body, FIELDS, "a decision request", "{\"placement\": \"home_hero\", \"anonymousId\": \"a-1\"}");
        String placement = text(body, "placement");
        if (placement == null) {
            throw new BadRequest(
                    "missing_placement", "Name the 'placement' to decide, such as \"home_hero\".", "placement");
        }
        String userId = text(body, "userId");
        String userToken = text(body, "userToken");
        String anonymousId = text(body, "anonymousId");
        if (userId == null && userToken == null && anonymousId == null) {
            throw new BadRequest(
                    "missing_identity",
                    "Send 'userId' or 'anonymousId', as on a tracking call; a visitor Tandem does "
                            + "not know yet still gets a decision.",
                    "userId");
        }
        JsonNode context = body.get("context");
        if (context != null && !context.isNull() && !context.isObject()) {
            throw new BadRequest(
                    "invalid_context",
                    "'context' must be an object, such as {\"page\": {\"path\": \"/sale\"}}.",
                    "context");
        }
        return new DecideRequest(placement, userId, userToken, anonymousId, context);
    }

    /** The same request for the user a valid token vouched for. */
    DecideRequest forUser(String verified) {
        return new DecideRequest(placement, verified, userToken, anonymousId, context);
    }

    /** The identifiers to find the profile by, strongest first. */
    List<Identifier> identifiers() {
        List<Identifier> ids = new ArrayList<>(2);
        if (userId != null) {
            ids.add(new Identifier("user_id", userId));
        }
        if (anonymousId != null) {
            ids.add(new Identifier("anonymous_id", anonymousId));
        }
        return ids;
    }

    /** The identity fields of an event logged for this request. */
    Map<String, String> subjectFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (userId != null) {
            fields.put("userId", userId);
        }
        if (anonymousId != null) {
            fields.put("anonymousId", anonymousId);
        }
        return fields;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || !dev.tandem.collect.EventShape.storable(v.asText())) {
            throw new BadRequest(
                    "invalid_" + field,
                    "'" + field + "' must be a non-empty string of valid Unicode text without NUL.",
                    field);
        }
        return v.asText();
    }
}
