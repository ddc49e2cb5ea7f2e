package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tandem.wire.EventTime;
import java.time.Instant;

/** A webhook mapping's timestamp as an event carries it (other values: {@link dev.tandem.expr.CelValues}). */
final class WebhookValues {
    private WebhookValues() {}

    /** A timestamp field: text as it is (collection checks it), a number as seconds since 1970; else null. */
    static JsonNode timestamp(JsonNode value) {
        if (value.isTextual()) {
            return value;
        }
        if (value.isNumber() && Double.isFinite(value.doubleValue())) {
            long millis = (long) (value.doubleValue() * 1000);
            Instant at = Instant.ofEpochMilli(millis);
            return EventTime.inRange(at) ? TextNode.valueOf(EventTime.format(at)) : null;
        }
        return null;
    }
}
