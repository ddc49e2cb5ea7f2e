package dev.tandem.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What became of one outbox row in one attempt, with what Tandem had and what it sent (null when
 * none; not changed after): delivered, to retry, rejected, denied by the gate, or gone (its event
 * or profile was erased). Kept as JSON trees, written as text only for a dead letter: writing two
 * texts for every item was a tenth of a delivery thread's time in the profile.
 */
record Fate(OutboxRow row, Kind kind, Outcome outcome, ObjectNode had, ObjectNode sent) {
    /** The JSON text of what Tandem had, or null. */
    String hadText() {
        return had == null ? null : had.toString();
    }

    /** The JSON text of what was sent, or null. */
    String sentText() {
        return sent == null ? null : sent.toString();
    }

    enum Kind {
        DELIVERED,
        RETRY,
        REJECTED,
        DENIED,
        GONE
    }
}
