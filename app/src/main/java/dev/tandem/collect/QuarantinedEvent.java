package dev.tandem.collect;

/** A quarantine row: the refused event as received, why it was refused, and whether a fix was accepted. */
record QuarantinedEvent(long id, String sourceId, long receivedAt, Reason reason, String payload, Long replayedAt) {}
