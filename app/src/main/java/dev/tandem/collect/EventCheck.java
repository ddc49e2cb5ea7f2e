package dev.tandem.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.wire.EventTime;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * Validates one event against the Segment spec and enriches it: {@code messageId} when
 * missing, {@code receivedAt}, the corrected {@code timestamp}, the batch's {@code context} and
 * {@code integrations}. Runs on the request thread, so the inbox writer only binds strings.
 */
final class EventCheck {
    private static final int MAX_MESSAGE_ID = 256;
    private static final String[] OBJECT_FIELDS = {"context", "integrations", "traits", "properties"};
    /** Parsed once each into the {@code times} array, in this order. */
    private static final String[] TIME_FIELDS = {"timestamp", "originalTimestamp", "sentAt"};
    /** What the quarantine keeps of an event that failed before the field screen was done with it. */
    private static final String WITHHELD =
            "{\"withheld\":\"the event failed before its restricted fields were removed\"}";

    private final ObjectMapper mapper;
    private final Limits limits;
    private final EventScreen screen;
    private final java.util.function.Supplier<EventPlans> plans;

    /** @param plans the tracking plans in force, read once per event (they change while the server runs) */
    EventCheck(ObjectMapper mapper, Limits limits, EventScreen screen, java.util.function.Supplier<EventPlans> plans) {
        this.mapper = mapper;
        this.limits = limits;
        this.screen = screen;
        this.plans = plans;
    }

    /**
     * @param pathType the type the endpoint implies, or null for batches (each event names its own)
     * @param gpc      whether the request carried {@code Sec-GPC: 1}; recorded as {@code context.consent.gpc}
     */
    Checked check(
            Source source,
            TrackingRequest.Incoming in,
            TrackingRequest request,
            EventType pathType,
            Arrival arrival,
            boolean gpc) {
        String sourceId = source.id();
        if (in.json() == null) {
            return new Checked.Rejected(
                    in.index(),
                    new Reason("invalid_event", "An event must be a JSON object.", null),
                    screen.scrub(sourceId, in.rawWhenNotObject()));
        }
        ObjectNode event = in.json();
        boolean screened = false;
        try {
            event.remove("writeKey");
            mergeDefaults(event, "context", request.context());
            mergeDefaults(event, "integrations", request.integrations());
            if (gpc && (event.get("context") == null || event.get("context").isObject())) {
                ObjectNode context =
                        event.get("context") == null ? event.putObject("context") : (ObjectNode) event.get("context");
                (context.get("consent") instanceof ObjectNode consent ? consent : context.putObject("consent"))
                        .put("gpc", true);
            }
            if (!screen.keep(sourceId, event)) {
                return new Checked.Suppressed(in.index());
            }
            screened = true;
            return checkScreened(source, in, event, pathType, arrival);
        } catch (RuntimeException e) {
            // Why: whatever an event holds must cost that event only, never its batch. A failure here
            // is a gap in the checks; the event is refused and kept with a reason that says so. An
            // event the screen did not finish with may hold restricted data, so only the reason is kept.
            return new Checked.Rejected(
                    in.index(),
                    new Reason(
                            "unprocessable_event",
                            "The event could not be checked (" + e.getClass().getSimpleName()
                                    + "); tell the Tandem team, and send it again once fixed.",
                            null),
                    screened ? serialiseOrWithhold(event) : WITHHELD);
        }
    }

    /**
     * Refuses a payload that never became an event (a webhook mapping failed on it), keeping it
     * in the quarantine with its reason once the field screen has cleaned it.
     */
    Checked refuse(String sourceId, int index, Reason reason, com.fasterxml.jackson.databind.JsonNode payload) {
        if (!(payload instanceof ObjectNode object)) {
            return new Checked.Rejected(index, reason, screen.scrub(sourceId, String.valueOf(payload)));
        }
        try {
            ObjectNode copy = object.deepCopy();
            if (!screen.keep(sourceId, copy)) {
                return new Checked.Suppressed(index);
            }
            return new Checked.Rejected(index, reason, EventShape.escapeLoneSurrogates(serialise(copy)));
        } catch (RuntimeException e) {
            return new Checked.Rejected(index, reason, WITHHELD);
        }
    }

    private Checked checkScreened(
            Source source, TrackingRequest.Incoming in, ObjectNode event, EventType pathType, Arrival arrival) {
        if (pathType != null) {
            event.put("type", pathType.wireName());
        } else {
            SdkLeniency.canonicalType(event);
        }
        Instant[] times = new Instant[TIME_FIELDS.length];
        Reason problem = in.bytes() > limits.maxEventBytes()
                ? new Reason(
                        "event_too_large",
                        "The event is " + in.bytes() + " bytes; one event may be at most " + limits.maxEventBytes()
                                + " bytes (32 KB).",
                        null)
                : problem(event, times, arrival);
        if (problem != null) {
            return new Checked.Rejected(in.index(), problem, EventShape.escapeLoneSurrogates(serialise(event)));
        }
        EventType type = EventType.fromWire(event.get("type").asText()).orElseThrow();
        if (type == EventType.IDENTIFY) {
            SdkLeniency.identifyTraits(event);
        }
        // the plan sees the event as sent (traits where identify keeps them), before Tandem adds its fields
        EventPlans.Blocked blocked = plans.get().check(source, type, event);
        if (blocked != null) {
            return new Checked.Rejected(
                    in.index(),
                    new Reason(blocked.code(), blocked.message(), blocked.field()),
                    EventShape.escapeLoneSurrogates(serialise(event)));
        }
        Instant originalTimestamp = times[1] != null ? times[1] : times[0];
        if (times[1] == null && times[0] != null) {
            event.set("originalTimestamp", event.get("timestamp"));
        }
        Instant sentAt = times[2];
        if (sentAt == null && arrival.batchSentAt() != null) {
            sentAt = arrival.batchSentAt();
            event.put("sentAt", arrival.batchSentAtText());
        }
        String messageId = textOf(event.get("messageId"));
        if (messageId == null) {
            messageId = UUID.randomUUID().toString();
        }
        event.put("messageId", messageId);
        SdkLeniency.idsAsText(event);
        event.put("receivedAt", arrival.receivedAtText());
        Instant timestamp = EventTime.corrected(arrival.receivedAt(), sentAt, originalTimestamp);
        event.put(
                "timestamp",
                timestamp.equals(arrival.receivedAt()) ? arrival.receivedAtText() : EventTime.format(timestamp));
        screen.seal(event);
        return new Checked.Accepted(in.index(), messageId, type, serialise(event));
    }

    /** The first thing wrong with the event, or null when it may be accepted. */
    private static Reason problem(ObjectNode event, Instant[] times, Arrival arrival) {
        JsonNode typeNode = event.get("type");
        if (typeNode == null || typeNode.isNull()) {
            return new Reason(
                    "missing_type",
                    "The event has no 'type'; use identify, track, page, screen, group or alias.",
                    "type");
        }
        if (!typeNode.isTextual() || EventType.fromWire(typeNode.asText()).isEmpty()) {
            return new Reason(
                    "invalid_type",
                    "'type' is " + typeNode + "; use identify, track, page, screen, group or alias.",
                    "type");
        }
        for (String field : new String[] {"userId", "anonymousId"}) {
            JsonNode id = event.get(field);
            if (id != null && !id.isNull() && !id.isTextual() && !id.isNumber()) {
                return new Reason("invalid_field", "'" + field + "' must be a string or a number.", field);
            }
        }
        for (String field : OBJECT_FIELDS) {
            JsonNode value = event.get(field);
            if (value != null && !value.isNull() && !value.isObject()) {
                return new Reason("invalid_field", "'" + field + "' must be an object.", field);
            }
        }
        for (int i = 0; i < TIME_FIELDS.length; i++) {
            JsonNode value = event.get(TIME_FIELDS[i]);
            if (value != null
                    && !value.isNull()
                    && (!value.isTextual()
                            || (times[i] = SdkLeniency.parseTime(value.asText())) == null
                            || !EventTime.inRange(times[i]))) {
                return invalidTime("'" + TIME_FIELDS[i] + "'", TIME_FIELDS[i]);
            }
        }
        if (times[2] == null && arrival.badBatchSentAt() != null) {
            return invalidTime("The batch's 'sentAt'", "sentAt");
        }
        Reason shape = EventShape.problem(event);
        if (shape != null) {
            return shape;
        }
        JsonNode messageId = event.get("messageId");
        if (messageId != null
                && !messageId.isNull()
                && (!(messageId.isTextual() || messageId.isNumber())
                        || messageId.asText().length() > MAX_MESSAGE_ID
                        || messageId.asText().chars().anyMatch(c -> c < 0x20))) {
            return new Reason(
                    "invalid_field",
                    "'messageId' must be a string of at most " + MAX_MESSAGE_ID
                            + " characters, without control characters.",
                    "messageId");
        }
        if (textOf(event.get("userId")) == null && textOf(event.get("anonymousId")) == null) {
            return new Reason(
                    "missing_identity",
                    "The event has neither 'userId' nor 'anonymousId'; send at least one.",
                    "userId");
        }
        return switch (EventType.fromWire(typeNode.asText()).orElseThrow()) {
            case TRACK ->
                textOf(event.get("event")) == null || !event.get("event").isTextual()
                        ? new Reason(
                                "missing_event",
                                "A track call needs an 'event' name, such as \"Order Completed\".",
                                "event")
                        : null;
            case GROUP ->
                textOf(event.get("groupId")) == null
                        ? new Reason("missing_group_id", "A group call needs a 'groupId'.", "groupId")
                        : null;
            case ALIAS ->
                textOf(event.get("previousId")) == null
                        ? new Reason(
                                "missing_previous_id",
                                "An alias call needs a 'previousId', the identity being merged.",
                                "previousId")
                        : textOf(event.get("userId")) == null
                                ? new Reason(
                                        "missing_identity",
                                        "An alias call needs a 'userId', the identity kept.",
                                        "userId")
                                : null;
            case IDENTIFY, PAGE, SCREEN -> null;
        };
    }

    private static Reason invalidTime(String what, String field) {
        return new Reason(
                "invalid_timestamp",
                what + " must be an ISO-8601 date-time from " + EventTime.format(EventTime.EARLIEST) + " to "
                        + EventTime.format(EventTime.LATEST) + ", such as 2024-05-01T12:00:00.000Z.",
                field);
    }

    /** The batch's object fills the keys the event does not set itself; the event's keys win. */
    private static void mergeDefaults(ObjectNode event, String field, ObjectNode defaults) {
        if (defaults == null || defaults.isEmpty()) {
            return;
        }
        JsonNode own = event.get(field);
        if (own == null || own.isNull()) {
            event.set(field, defaults.deepCopy());
        } else if (own instanceof ObjectNode ownObject) {
            for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!ownObject.has(entry.getKey())) {
                    ownObject.set(entry.getKey(), entry.getValue().deepCopy());
                }
            }
        }
    }

    /** Non-blank text of a string or number node, else null. */
    private static String textOf(JsonNode node) {
        if (node == null || !(node.isTextual() || node.isNumber())) {
            return null;
        }
        String text = node.asText();
        return text.isBlank() ? null : text;
    }

    private String serialiseOrWithhold(ObjectNode event) {
        try {
            return EventShape.escapeLoneSurrogates(serialise(event));
        } catch (RuntimeException e) {
            return WITHHELD;
        }
    }

    private String serialise(ObjectNode event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed event could not be written back as JSON", e);
        }
    }
}
