package dev.tandem.schedule;

import java.time.Instant;

/** One job to schedule in a batch with {@link Scheduler#scheduleAll}: its key, due time and payload (may be null). */
public record Planned(String key, Instant dueAt, String payload) {}
