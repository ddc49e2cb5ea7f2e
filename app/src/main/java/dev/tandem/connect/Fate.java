package dev.tandem.connect;

/**
 * What became of one outbox row in one attempt, with what Tandem had and what it sent (JSON text,
 * null when none): delivered, to retry, rejected, denied by the gate, or gone (its event or
 * profile was erased).
 */
record Fate(OutboxRow row, Kind kind, Outcome outcome, String had, String sent) {
    enum Kind {
        DELIVERED,
        RETRY,
        REJECTED,
        DENIED,
        GONE
    }
}
