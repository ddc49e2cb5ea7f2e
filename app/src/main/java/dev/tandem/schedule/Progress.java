package dev.tandem.schedule;

import java.time.Instant;

/**
 * How far a long job is, as {@code GET /v1/admin/jobs} shows it beside its kind: what it is doing,
 * how many units it has done in its current pass, how many are left (-1 when it cannot tell
 * cheaply), and since when the pass runs.
 *
 * @param state   such as {@code archiving} or {@code idle}
 * @param unit    what is counted, such as {@code events}
 * @param passStartedAt null before the first pass
 */
public record Progress(String state, String unit, long done, long remaining, Instant passStartedAt) {}
