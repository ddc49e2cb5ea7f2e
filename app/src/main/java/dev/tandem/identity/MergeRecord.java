package dev.tandem.identity;

/** A recorded merge: {@code merged} was joined into {@code kept} by an identifier of one event, at that event's time. */
public record MergeRecord(long kept, long merged, Identifier by, String messageId, long seq, long at) {}
