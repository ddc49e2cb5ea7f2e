package dev.tandem.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The tracking-plan check of collection, declared here and implemented by {@code dev.tandem.plan}:
 * it looks at each event that passed the Segment checks, before it is enriched and stored. It may
 * remove unplanned fields in place, and it may block the event, which then goes to the quarantine
 * with the reason it gives. Runs on request threads, so it must be thread-safe and fast.
 */
public interface EventPlans {
    /** No plan for any source. */
    EventPlans NONE = (source, type, event) -> null;

    /** Why a plan blocks an event: a stable code, a sentence without any value of the event, the field at fault. */
    record Blocked(String code, String message, String field) {}

    /** Null when the event may be stored (perhaps with fields removed), else why it is quarantined. */
    Blocked check(Source source, EventType type, ObjectNode event);
}
