package dev.tandem.journey;

/**
 * A profile that may enter a journey in a batch: on an event (its seq, its entry key's value or
 * null; {@code onEvent}) or on an audience entered (no key; {@code seq} is the event that made the
 * profile a member, not an entering event).
 */
record Candidate(JourneyBook.Versioned journey, long profile, String key, long seq, boolean onEvent) {}
