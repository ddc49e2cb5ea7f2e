package dev.tandem.govern;

import dev.tandem.config.JsonText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every decision other than a plain allow ({@code gate_log}). The gate only queues; one
 * thread writes what queued in one transaction, so a decision costs no I/O. When the queue is
 * full (the store is far behind) entries are counted as dropped and a warning says how many.
 */
final class GateLog implements DecisionSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GateLog.class);
    private static final int CAPACITY = 100_000;

    /** One logged decision as the API lists it. */
    public record Entry(long id, long at, String flow, long subject, String decision, String rules) {}

    private record Pending(long at, Flow flow, long subject, String decision, List<Decision.Reason> reasons) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean open = true;

    public GateLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.writer = Thread.ofPlatform().name("gate-log").daemon(true).start(this::run);
    }

    @Override
    public void record(Flow flow, Subject subject, Decision decision) {
        if (!queue.offer(new Pending(clock.millis(), flow, subject.profileId(), decision.name(), decision.reasons()))) {
            dropped.incrementAndGet();
        }
    }

    /** The latest entries, newest first. */
    public List<Entry> latest(int limit) {
        flush();
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, at, flow, subject, decision, rules FROM gate_log ORDER BY id DESC LIMIT :n")
                .bind("n", limit)
                .map((rs, ctx) -> new Entry(
                        rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6)))
                .list());
    }

    private void run() {
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    List<Pending> group = new ArrayList<>();
                    group.add(first);
                    queue.drainTo(group, 5_000);
                    write(group);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("writing the policy decision log failed; those entries are lost");
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                log.atWarn()
                        .addKeyValue("dropped", lost)
                        .log("the policy decision log fell behind and dropped entries");
            }
        }
    }

    /** Writes what is queued now, on the caller's thread. */
    synchronized void flush() {
        List<Pending> group = new ArrayList<>();
        queue.drainTo(group);
        if (!group.isEmpty()) {
            write(group);
        }
    }

    private synchronized void write(List<Pending> group) {
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch(
                    "INSERT INTO gate_log (at, flow, subject, decision, rules) VALUES (:at, :flow, :s, :d, :r)");
            for (Pending p : group) {
                batch.bind("at", p.at())
                        .bind("flow", JsonText.of(p.flow()))
                        .bind("s", p.subject())
                        .bind("d", p.decision())
                        .bind("r", JsonText.of(p.reasons()))
                        .add();
            }
            batch.execute();
        });
    }

    @Override
    public void close() {
        open = false;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
