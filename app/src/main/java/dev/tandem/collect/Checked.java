package dev.tandem.collect;

/** What collection made of one incoming event: accepted for the inbox, or refused with a reason. */
sealed interface Checked {
    int index();

    /** An accepted event, enriched and serialised once, ready to be appended. */
    record Accepted(int index, String messageId, EventType type, String payload) implements Checked {}

    /** A refused event, kept in the quarantine as it was received. */
    record Rejected(int index, Reason reason, String payload) implements Checked {}

    /** An event of a subject who asked to be forgotten: answered as accepted, never stored. */
    record Suppressed(int index) implements Checked {}
}
