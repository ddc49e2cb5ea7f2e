package dev.tandem.identity;

/** An identifier of a profile and the event time it was first seen, for windowed limits. */
record Link(Identifier id, long firstSeen) {}
