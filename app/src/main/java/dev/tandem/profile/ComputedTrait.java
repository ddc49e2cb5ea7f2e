package dev.tandem.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.EventType;
import dev.tandem.config.FieldPath;
import dev.tandem.pipeline.BatchItem;
import java.time.Duration;

/**
 * A trait computed from events: an aggregate of a property (or a count), over the events that
 * pass the optional filter (event name, call type), over all time or a rolling window.
 *
 * <p>A windowed trait keeps one partial per time bucket (a day, or an hour for windows under two
 * days) and drops buckets that fall out of the window as events arrive; its value sums the buckets
 * inside the window at read time, so it is always exact to the bucket without a recomputation job.
 */
record ComputedTrait(
        String name, Aggregate aggregate, FieldPath property, String event, EventType type, Duration window) {
    private static final long DAY = 86_400_000L;
    private static final long HOUR = 3_600_000L;

    boolean matches(BatchItem item) {
        return (event == null || event.equals(item.event().path("event").asText(null)))
                && (type == null || type.wireName().equals(item.type()));
    }

    /** Updates this trait's state in {@code computed} with one event. */
    void apply(ObjectNode computed, BatchItem item) {
        JsonNode value = property == null ? null : property.in(item.event());
        ObjectNode state = computed.has(name) ? (ObjectNode) computed.get(name) : computed.putObject(name);
        if (window == null) {
            aggregate.add(state, value, item.timestamp());
            return;
        }
        ObjectNode buckets = state.has("b") ? (ObjectNode) state.get("b") : state.putObject("b");
        String bucket = Long.toString(Math.floorDiv(item.timestamp(), bucketMillis()));
        ObjectNode partial = buckets.has(bucket) ? (ObjectNode) buckets.get(bucket) : buckets.putObject(bucket);
        aggregate.add(partial, value, item.timestamp());
        prune(buckets, item.timestamp());
    }

    void merge(ObjectNode into, ObjectNode other) {
        if (window == null) {
            aggregate.combine(into, other);
            return;
        }
        ObjectNode buckets = into.has("b") ? (ObjectNode) into.get("b") : into.putObject("b");
        for (var e : other.path("b").properties()) {
            ObjectNode partial =
                    buckets.has(e.getKey()) ? (ObjectNode) buckets.get(e.getKey()) : buckets.putObject(e.getKey());
            aggregate.combine(partial, (ObjectNode) e.getValue());
        }
    }

    /** The trait's value at {@code now}. */
    JsonNode value(ObjectNode state, long now) {
        if (window == null) {
            return aggregate.result(state);
        }
        ObjectNode sum = state.objectNode();
        long oldest = oldestBucket(now);
        for (var e : state.path("b").properties()) {
            long b = Long.parseLong(e.getKey());
            if (b >= oldest && b <= Math.floorDiv(now, bucketMillis())) {
                aggregate.combine(sum, (ObjectNode) e.getValue());
            }
        }
        return aggregate.result(sum);
    }

    private void prune(ObjectNode buckets, long now) {
        long oldest = oldestBucket(now);
        buckets.properties().removeIf(e -> Long.parseLong(e.getKey()) < oldest);
    }

    private long oldestBucket(long now) {
        return Math.floorDiv(now - window.toMillis(), bucketMillis()) + 1;
    }

    private long bucketMillis() {
        return window.toMillis() >= 2 * DAY ? DAY : HOUR;
    }
}
