package dev.tandem.collect;

import dev.tandem.error.Unavailable;
import dev.tandem.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: request threads hand their events to one writer thread, which appends everything
 * that queued up meanwhile in one transaction and completes every waiting request after the
 * commit. One fsync then covers many requests, and seq order equals commit order.
 *
 * <p>Back-pressure: when more than {@code maxPendingEvents} wait, submit refuses with 429 rather
 * than queueing without bound; when a commit fails (disk full, database gone) the requests it
 * held get 503, and nothing was acknowledged that is not stored.
 */
public final class InboxWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InboxWriter.class);
    private static final int MAX_REQUESTS_PER_COMMIT = 2_000;
    private static final long QUEUEING_WINDOW_NANOS = 200_000_000L;

    private record Pending(Submission submission, CompletableFuture<Integer> done) {}

    private final Database database;
    private final int maxPendingEvents;
    /** Runs before each group commits: the keys the group's events were sealed with are stored first. */
    private final EventSealing sealing;

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pendingEvents = new AtomicInteger();
    private final Timer commitLatency;
    private final Thread thread;
    private volatile boolean open = true;
    private volatile String lastFailure;
    private volatile long queuedAt = Long.MIN_VALUE / 2;
    private volatile long committingAt = Long.MIN_VALUE / 2;
    private InboxStore store;

    public InboxWriter(Database database, int maxPendingEvents, EventSealing sealing, MeterRegistry meters) {
        this.database = database;
        this.maxPendingEvents = maxPendingEvents;
        this.sealing = sealing;
        this.commitLatency = Timer.builder("tandem.inbox.commit")
                .description("Time to append and commit one group of requests to the inbox")
                .publishPercentileHistogram()
                .register(meters);
        meters.gauge("tandem.inbox.pending.events", pendingEvents);
        this.thread = Thread.ofPlatform().name("inbox-writer").daemon(false).unstarted(this::run);
        thread.start();
    }

    /**
     * Queues a submission; the future completes with the number of duplicates once it is
     * committed, or fails with {@link Unavailable} when it could not be.
     */
    CompletableFuture<Integer> submit(Submission submission) {
        if (!open) {
            throw new Unavailable(
                    "shutting_down",
                    "Tandem is shutting down; retry against another node or in a moment.",
                    Duration.ofSeconds(5),
                    false,
                    null);
        }
        int size = submission.size();
        // A request larger than the limit is still taken when nothing else waits.
        int before = pendingEvents.getAndAdd(size);
        if (before > 0 && before + size > maxPendingEvents) {
            pendingEvents.addAndGet(-size);
            throw new Unavailable(
                    "overloaded",
                    "The inbox is " + maxPendingEvents
                            + " events behind; slow down and retry after the Retry-After delay.",
                    Duration.ofSeconds(1),
                    true,
                    null);
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        queue.add(new Pending(submission, done));
        return done;
    }

    /**
     * True when, within the last {@link #QUEUEING_WINDOW_NANOS}, requests had to wait for each other's
     * commit (a group of two or more): tracking traffic is heavy enough that acknowledgements queue.
     */
    public boolean queueing() {
        return System.nanoTime() - queuedAt < QUEUEING_WINDOW_NANOS;
    }

    /** True when any tracking call was committed within the last {@link #QUEUEING_WINDOW_NANOS}: events are coming in. */
    public boolean active() {
        return System.nanoTime() - committingAt < QUEUEING_WINDOW_NANOS;
    }

    /** Null while commits succeed, else what the last failed commit said. */
    public String lastFailure() {
        return lastFailure;
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_REQUESTS_PER_COMMIT - 1);
                committingAt = System.nanoTime();
                if (group.size() > 1) {
                    queuedAt = committingAt;
                }
                commit(group);
                committingAt = System.nanoTime(); // and after it: a commit longer than the window is activity too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                group.clear();
            }
        }
        closeStore();
    }

    private void commit(List<Pending> group) {
        List<Submission> submissions = new ArrayList<>(group.size());
        int events = 0;
        for (Pending p : group) {
            submissions.add(p.submission());
            events += p.submission().size();
        }
        long start = System.nanoTime();
        try {
            sealing.storeKeys();
            int[] duplicates = appendReconnectingOnce(submissions);
            commitLatency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            lastFailure = null;
            pendingEvents.addAndGet(-events);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(duplicates[i]);
            }
        } catch (SQLException | RuntimeException e) {
            Unavailable failure = failure(e);
            if (group.size() > 1 && !failure.code().equals("disk_full")) {
                // Why: one request the store refuses must not fail the others that shared its commit;
                // each is committed on its own, so only the one at fault is answered 503.
                closeStore();
                log.atWarn()
                        .addKeyValue("requests", group.size())
                        .addKeyValue("cause", e.getMessage())
                        .log("inbox group commit failed; committing its requests one by one");
                for (Pending p : group) {
                    commit(List.of(p));
                }
                return;
            }
            pendingEvents.addAndGet(-events);
            lastFailure = failure.getMessage();
            log.atError()
                    .setCause(e)
                    .addKeyValue("requests", group.size())
                    .addKeyValue("events", events)
                    .log("inbox commit failed; the requests were answered 503 and nothing was acknowledged");
            closeStore();
            group.forEach(p -> p.done().completeExceptionally(failure));
        }
    }

    /**
     * Appends; when the connection itself was lost (the database restarted or failed over), once
     * more on a new one, so that clients do not see the blip. Repeating is safe even when the lost
     * commit did go through: every event carries its messageId, so the second insert skips it.
     */
    private int[] appendReconnectingOnce(List<Submission> submissions) throws SQLException {
        try {
            return store().append(submissions);
        } catch (SQLException e) {
            if (store == null || store.connectionAlive()) {
                throw e;
            }
            log.atWarn()
                    .addKeyValue("cause", e.getMessage())
                    .log("inbox connection lost; retrying the group on a new connection");
            closeStore();
            return store().append(submissions);
        }
    }

    private static Unavailable failure(Exception e) {
        String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("disk is full") || text.contains("no space") || text.contains("sqlite_full")) {
            return new Unavailable(
                    "disk_full",
                    "The disk holding the inbox is full; nothing was stored. Free space, then retry.",
                    Duration.ofSeconds(30),
                    false,
                    e);
        }
        return new Unavailable(
                "store_unavailable",
                "The inbox could not commit (" + e.getMessage()
                        + "); nothing was stored. Retry after the Retry-After delay.",
                Duration.ofSeconds(5),
                false,
                e);
    }

    private InboxStore store() throws SQLException {
        if (store == null) {
            store = new InboxStore(database.writerConnection(), database.dialect());
        }
        return store;
    }

    private void closeStore() {
        if (store != null) {
            try {
                store.close();
            } catch (SQLException e) {
                log.warn("closing the inbox connection failed", e);
            }
            store = null;
        }
    }

    /** Stops taking submissions, commits what is queued, and waits for the writer to finish. */
    @Override
    public void close() {
        open = false;
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A request that slipped in between the last drain and the writer's exit is answered, not left waiting.
        Unavailable stopped = new Unavailable(
                "shutting_down",
                "Tandem stopped before this request was committed; nothing was stored. Retry.",
                Duration.ofSeconds(5),
                false,
                null);
        for (Pending p; (p = queue.poll()) != null; ) {
            p.done().completeExceptionally(stopped);
        }
    }
}
