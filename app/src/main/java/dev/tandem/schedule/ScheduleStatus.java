package dev.tandem.schedule;

import java.time.Instant;
import java.util.List;

/**
 * What the scheduler's table holds at {@code at}: per kind, the jobs due now and the next due time;
 * the jobs whose last attempt failed (the most recent failures first, up to the limit asked) and
 * how many there are in all. Kinds found in the table that nothing registered are listed with
 * {@code registered} false: their jobs are left alone until a version that knows them runs.
 */
public record ScheduleStatus(Instant at, List<KindStatus> kinds, long failingTotal, List<FailingJob> failing) {

    /** @param lane null when the kind is not registered; @param nextDueAt null when it has no jobs */
    public record KindStatus(String kind, Lane lane, boolean registered, long due, Instant nextDueAt) {}

    /** @param attempts failed attempts so far; @param nextAttemptAt when the next one is due */
    public record FailingJob(
            String kind, String key, int attempts, String lastError, Instant failedAt, Instant nextAttemptAt) {}

    /** Jobs of {@code kind} due now (0 when it has none). */
    public long due(String kind) {
        return kinds.stream()
                .filter(k -> k.kind().equals(kind))
                .mapToLong(KindStatus::due)
                .sum();
    }

    /** Kinds present in the table that no registered job handles. */
    public List<String> unknownKinds() {
        return kinds.stream().filter(k -> !k.registered()).map(KindStatus::kind).toList();
    }
}
