package dev.tandem.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Reads a {@link ScheduleStatus} from the index, never the whole table: the kinds present by a
 * loose index scan (one lookup per kind), due counts by a range per kind, failures through the
 * partial index on failing rows. Its cost grows with the jobs due and failing, not with those waiting.
 */
final class StatusReader {
    private static final String KINDS = """
            WITH RECURSIVE kinds(kind) AS (
                SELECT MIN(kind) FROM scheduled_jobs
                UNION ALL
                SELECT (SELECT MIN(s.kind) FROM scheduled_jobs s WHERE s.kind > kinds.kind) FROM kinds WHERE kinds.kind IS NOT NULL)
            SELECT kind FROM kinds WHERE kind IS NOT NULL""";
    private static final String FAILING = """
            SELECT kind, job_key, attempt, last_error, failed_at, due_at FROM scheduled_jobs
            WHERE last_error IS NOT NULL ORDER BY failed_at DESC LIMIT :limit""";

    private final JobTable table;

    StatusReader(JobTable table) {
        this.table = table;
    }

    ScheduleStatus read(Map<String, Job> jobs, Instant at, int failingLimit) {
        long now = at.toEpochMilli();
        return table.database().jdbi().withHandle(h -> {
            TreeSet<String> kinds = new TreeSet<>(jobs.keySet());
            kinds.addAll(h.createQuery(KINDS).mapTo(String.class).list());
            List<ScheduleStatus.KindStatus> perKind = new ArrayList<>();
            for (String kind : kinds) {
                long due = h.createQuery("SELECT COUNT(*) FROM scheduled_jobs WHERE kind = :kind AND due_at <= :now "
                                + "AND (owner IS NULL OR lease_until <= :now)")
                        .bind("kind", kind)
                        .bind("now", now)
                        .mapTo(Long.class)
                        .one();
                long next = table.nextDue(h, kind);
                Job job = jobs.get(kind);
                perKind.add(new ScheduleStatus.KindStatus(
                        kind,
                        job == null ? null : job.lane(),
                        job != null,
                        due,
                        next == Long.MAX_VALUE ? null : Instant.ofEpochMilli(next)));
            }
            long failingTotal = h.createQuery("SELECT COUNT(*) FROM scheduled_jobs WHERE last_error IS NOT NULL")
                    .mapTo(Long.class)
                    .one();
            List<ScheduleStatus.FailingJob> failing = failingLimit <= 0 ? List.of() : failing(h, failingLimit);
            return new ScheduleStatus(at, List.copyOf(perKind), failingTotal, failing);
        });
    }

    private static List<ScheduleStatus.FailingJob> failing(Handle h, int limit) {
        return h.createQuery(FAILING)
                .bind("limit", limit)
                .map((rs, ctx) -> new ScheduleStatus.FailingJob(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getInt(3) - 1,
                        rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5)),
                        Instant.ofEpochMilli(rs.getLong(6))))
                .list();
    }
}
