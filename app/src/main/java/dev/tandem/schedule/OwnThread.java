package dev.tandem.schedule;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's own thread: runs due jobs of the {@link Lane#OWN} lane, then sleeps until the
 * next wake time, at most the poll bound (at least 20 ms when that bound is zero), or until
 * {@link #wake} (a job scheduled here, a test clock advanced). A failing store is logged when the
 * failure changes and retried after a second.
 */
final class OwnThread {
    private static final Logger log = LoggerFactory.getLogger(OwnThread.class);
    private static final long FAILURE_PAUSE_MS = 1_000;

    private final Scheduler scheduler;
    private final int batch;
    private final long pollMs;
    private final LongSupplier millisToNextWake;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private final AtomicLong passes = new AtomicLong();
    private final Thread thread;
    private boolean woken;
    private volatile boolean stopping;
    private String lastFailure;

    OwnThread(Scheduler scheduler, int batch, long pollMs, LongSupplier millisToNextWake) {
        this.scheduler = scheduler;
        this.batch = batch;
        this.pollMs = Math.max(pollMs, 20);
        this.millisToNextWake = millisToNextWake;
        this.thread = new Thread(this::loop, "tandem-scheduler");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Passes of the loop so far; a test awaits one more to know the loop has looked since it advanced the clock. */
    long passes() {
        return passes.get();
    }

    /** Stops after the run in progress, waiting for it up to {@code waitMs}, then interrupts it. */
    void stop(long waitMs) throws InterruptedException {
        stopping = true;
        wake();
        thread.join(waitMs);
        if (thread.isAlive()) {
            log.warn("the scheduler's thread was still running a job after {} ms; interrupting it", waitMs);
            thread.interrupt();
            thread.join(1_000);
        }
    }

    private void loop() {
        while (!stopping) {
            long pause;
            try {
                int ran = scheduler.runDue(Lane.OWN, batch);
                pause = ran > 0 ? 0 : Math.min(pollMs, Math.max(0, millisToNextWake.getAsLong()));
                lastFailure = null;
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                    log.atWarn()
                            .setCause(e)
                            .log("the scheduler could not run due jobs; retrying every second: {}", e.getMessage());
                    lastFailure = String.valueOf(e.getMessage());
                }
                pause = FAILURE_PAUSE_MS;
            }
            passes.incrementAndGet();
            await(pause);
        }
    }

    private void await(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!woken && !stopping && nanos > 0) {
                nanos = signal.awaitNanos(nanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }
}
