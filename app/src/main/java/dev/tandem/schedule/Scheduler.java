package dev.tandem.schedule;

import dev.tandem.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;

/**
 * A durable scheduler for work due at a time. Jobs are rows of {@code scheduled_jobs} keyed by
 * (kind, key); {@link #runDue} claims due ones with a lease (owner and token, so two processes on
 * one database never run a job at once, and a crashed owner's jobs are taken over once its lease
 * ends), runs them on the calling thread and writes what became of them, fenced by that lease.
 *
 * <p>The rule: a run must end within the lease ({@link ScheduleSettings#lease}); a claim stops
 * starting runs once half of it has passed. A job that outlives the lease may be run by another
 * owner too, and its own completion is then refused (counted in {@code tandem.schedule.leases.lost}).
 */
public final class Scheduler implements AutoCloseable {
    private static final int MAX_KEY = 1_000;

    private final JobTable table;
    private final Clock clock;
    private final ScheduleSettings settings;
    private final ScheduleMetrics metrics;
    private final StatusReader statusReader;
    private final WakeTimes wakeTimes;
    private final String owner;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final ClaimRunner runner;
    private final OwnThread own;
    private final int[] rotation = new int[Lane.values().length];
    private volatile boolean started;

    public Scheduler(Database database, Clock clock, MeterRegistry meters, ScheduleSettings settings) {
        this.table = new JobTable(database);
        this.clock = clock;
        this.settings = settings;
        this.statusReader = new StatusReader(table);
        this.metrics = new ScheduleMetrics(meters, () -> status(0));
        this.wakeTimes = new WakeTimes(settings.poll().toNanos());
        this.owner = Owners.newOwner();
        this.runner = new ClaimRunner(jobs, clock, settings, metrics);
        this.own = new OwnThread(this, settings.batch(), settings.poll().toMillis(), this::millisToNextOwnWake);
    }

    /** Registers one kind of work; before {@link #start}, and once per kind. */
    public synchronized void register(Job job) {
        if (started) {
            throw new IllegalStateException("Register job kind '" + job.kind() + "' before the scheduler starts.");
        }
        if (job.kind() == null || job.kind().isBlank() || jobs.containsKey(job.kind())) {
            throw new IllegalArgumentException(
                    "Job kind '" + job.kind() + "' is blank or registered twice; each kind is registered once.");
        }
        jobs.put(job.kind(), job);
        metrics.register(job.kind());
    }

    /** Schedules (or reschedules: one row per kind and key) a job due at {@code dueAt}, as a first attempt. */
    public void schedule(String kind, String key, Instant dueAt, String payload) {
        scheduleAll(kind, List.of(new Planned(key, dueAt, payload)));
    }

    /** As {@link #schedule(String, String, Instant, String)}, inside the caller's transaction: it counts once that commits. */
    public void schedule(Handle tx, String kind, String key, Instant dueAt, String payload) {
        List<Planned> one = List.of(new Planned(key, dueAt, payload));
        Lane lane = check(kind, one);
        table.upsert(tx, kind, one, clock.millis());
        Runnable lower = () -> lowered(lane, dueAt.toEpochMilli());
        if (tx.isInTransaction()) {
            tx.afterCommit(lower);
        } else {
            lower.run();
        }
    }

    /** Schedules many jobs of one kind in one transaction and one batch statement. */
    public void scheduleAll(String kind, List<Planned> planned) {
        Lane lane = check(kind, planned);
        table.database().jdbi().useTransaction(h -> table.upsert(h, kind, planned, clock.millis()));
        planned.stream().mapToLong(p -> p.dueAt().toEpochMilli()).min().ifPresent(at -> lowered(lane, at));
    }

    /** Removes a job; true when there was one. A run in progress finishes, and its completion changes nothing. */
    public boolean cancel(String kind, String key) {
        return table.database().jdbi().withHandle(h -> table.delete(h, kind, key));
    }

    /** As {@link #cancel(String, String)}, inside the caller's transaction. */
    public boolean cancel(Handle tx, String kind, String key) {
        return table.delete(tx, kind, key);
    }

    /**
     * Claims due jobs of {@code lane} (at most {@link ScheduleSettings#batch} per statement, kinds in
     * turn) and runs them on the calling thread, up to {@code max} in all; the number run. Costs no
     * query while the clock is before the lane's next wake time read within the poll bound.
     */
    public int runDue(Lane lane, int max) {
        List<String> kinds = kinds(lane);
        long now = clock.millis();
        if (kinds.isEmpty() || max <= 0 || wakeTimes.idle(lane, now)) {
            return 0;
        }
        long stamp = wakeTimes.stamp(lane);
        List<String> due = table.database().jdbi().withHandle(h -> {
            List<String> claimable =
                    kinds.stream().filter(k -> table.anyClaimable(h, k, now)).toList();
            if (claimable.isEmpty()) {
                wakeTimes.read(lane, stamp, nextDue(h, kinds));
            }
            return claimable;
        });
        int ran = 0;
        boolean more = !due.isEmpty();
        while (more && ran < max) {
            more = false;
            int first = rotation[lane.ordinal()]++;
            for (int i = 0; i < due.size() && ran < max; i++) {
                String kind = due.get(Math.floorMod(first + i, due.size()));
                int ask = Math.min(settings.batch(), max - ran);
                long claimedAt = clock.millis();
                Claim claim = table.claim(
                        kind,
                        ask,
                        owner,
                        ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE),
                        claimedAt,
                        claimedAt + settings.lease().toMillis());
                if (claim.dues().isEmpty()) {
                    continue;
                }
                List<Outcome> outcomes = runner.run(claim, claimedAt);
                Completion.Written written =
                        Bookkeeping.inTransaction(table.database(), h -> Completion.write(h, claim, outcomes));
                metrics.lost(kind, written.lost());
                long unrun = outcomes.stream()
                        .filter(o -> o instanceof Outcome.Unrun)
                        .count();
                ran += outcomes.size() - (int) unrun;
                if (unrun > 0) {
                    return ran; // the slice's time is up: the rest waits for the next call
                }
                more |= claim.dues().size() == ask;
            }
        }
        if (!more && ran > 0) {
            wakeTimes.read(lane, stamp, table.database().jdbi().withHandle(h -> nextDue(h, kinds)));
        }
        return ran;
    }

    private long nextDue(Handle h, List<String> kinds) {
        return kinds.stream().mapToLong(k -> table.nextDue(h, k)).min().orElse(Long.MAX_VALUE);
    }

    /** Starts the thread that runs {@link Lane#OWN} jobs; {@link #close} stops it. */
    public synchronized void start() {
        if (!started) {
            started = true;
            own.start();
        }
    }

    /** Makes the own thread look at the table now (for a clock that was moved, or jobs scheduled elsewhere). */
    public void wake() {
        own.wake();
    }

    /** The table's state; failing jobs up to 100. */
    public ScheduleStatus status() {
        return status(100);
    }

    public ScheduleStatus status(int failingLimit) {
        Map<String, Job> registered;
        synchronized (this) {
            registered = Map.copyOf(jobs);
        }
        return statusReader.read(registered, clock.instant(), failingLimit);
    }

    /** How far the registered job of {@code kind} says it is; empty for a kind that keeps no progress or is unknown. */
    public synchronized java.util.Optional<Progress> progress(String kind) {
        Job job = jobs.get(kind);
        return job == null ? java.util.Optional.empty() : job.progress();
    }

    /** The jobs whose last attempt failed, most recent first, up to {@code limit}. */
    public List<ScheduleStatus.FailingJob> failures(int limit) {
        return status(limit).failing();
    }

    /** This scheduler's owner id, stored with the jobs it holds. */
    public String owner() {
        return owner;
    }

    @Override
    public void close() {
        try {
            own.stop(settings.lease().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long passes() {
        return own.passes();
    }

    private List<String> kinds(Lane lane) {
        List<String> kinds = new ArrayList<>();
        synchronized (this) {
            jobs.values().stream().filter(j -> j.lane() == lane).forEach(j -> kinds.add(j.kind()));
        }
        return kinds;
    }

    private Lane check(String kind, List<Planned> planned) {
        Job job;
        synchronized (this) {
            job = jobs.get(kind);
        }
        if (job == null) {
            throw new IllegalArgumentException(
                    "No job of kind '" + kind + "' is registered; register it before scheduling its jobs.");
        }
        for (Planned p : planned) {
            if (p.key() == null || p.key().isEmpty() || p.key().length() > MAX_KEY) {
                throw new IllegalArgumentException(
                        "A scheduled job's key must be 1 to " + MAX_KEY + " characters, not '" + p.key() + "'.");
            }
            Objects.requireNonNull(p.dueAt(), "dueAt");
            try {
                p.dueAt().toEpochMilli();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        "The due time " + p.dueAt() + " is out of range for job " + kind + "/" + p.key() + ".");
            }
        }
        return job.lane();
    }

    private void lowered(Lane lane, long at) {
        wakeTimes.lower(lane, at);
        if (lane == Lane.OWN) {
            own.wake();
        }
    }

    private long millisToNextOwnWake() {
        if (kinds(Lane.OWN).isEmpty()) {
            // nothing runs on this thread (a server whose jobs are all in the pipeline lane): sleep the
            // poll bound, since no runDue here ever reads a wake time; 0 would spin the thread
            return Long.MAX_VALUE;
        }
        long next = wakeTimes.next(Lane.OWN);
        return next == Long.MIN_VALUE ? 0 : next == Long.MAX_VALUE ? Long.MAX_VALUE : next - clock.millis();
    }
}
