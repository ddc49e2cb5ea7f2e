package dev.tandem.schedule;

import java.time.Instant;

/**
 * A job that came due and is being run: its kind and key, the payload it was scheduled with (may be
 * null), when it was due, and which attempt this is (1 for the first run, 2 after one failure...).
 */
public record Due(String kind, String key, String payload, Instant dueAt, int attempt) {}
