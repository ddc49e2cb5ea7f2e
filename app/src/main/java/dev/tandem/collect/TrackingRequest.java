package dev.tandem.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A tracking call as parsed from its body.
 *
 * @param events        the events, each with its size in bytes as sent
 * @param writeKey      the {@code writeKey} in the body, or null
 * @param sentAt        the batch's {@code sentAt}, or null; an event's own one wins
 * @param context       the batch's {@code context}, merged into each event, or null
 * @param integrations  the batch's {@code integrations}, merged into each event, or null
 */
record TrackingRequest(
        List<Incoming> events, String writeKey, String sentAt, ObjectNode context, ObjectNode integrations) {

    /** One event of the request: its position, the JSON as sent (null when not an object) and its size. */
    record Incoming(int index, ObjectNode json, int bytes, String rawWhenNotObject) {}
}
