package dev.tandem.journey;

/**
 * A profile that may enter a journey in a batch: on an event (its seq, its entry key's value or
 * null, the event as text) or on an audience entered (no key, no context).
 */
record Candidate(JourneyBook.Versioned journey, long profile, String key, long seq, String context) {}
