package dev.tandem.identity;

/** An identifier as the Profile API shows it: type, value, when it was first seen and from which source. */
public record ProfileIdentifier(String type, String value, long firstSeen, String sourceId) {}
