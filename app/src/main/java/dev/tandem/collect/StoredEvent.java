package dev.tandem.collect;

/** An inbox row: its arrival position, source, and the event JSON as stored. */
public record StoredEvent(long seq, String sourceId, String payload) {}
