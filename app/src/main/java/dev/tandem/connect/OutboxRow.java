package dev.tandem.connect;

/**
 * One row of the outbox: what a destination is owed. {@code kind} says how the message is built:
 * {@code event} (the inbox event {@code seq}), {@code identify} (the profile as it is when sent),
 * {@code audience} ({@code detail} names the audience and whether it was entered), {@code message}
 * ({@code detail} is the whole message: replays, deletions).
 */
record OutboxRow(long id, long profileId, String kind, long seq, String detail, long receivedAt) {
    static final String EVENT = "event";
    static final String IDENTIFY = "identify";
    static final String AUDIENCE = "audience";
    static final String MESSAGE = "message";
}
