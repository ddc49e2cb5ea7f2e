package dev.tandem.profile;

/** A change of a profile's consent for one purpose, for the history: event time in epoch milliseconds, and the event's messageId. */
public record ConsentChange(String purpose, boolean granted, String signal, long at, String messageId) {}
