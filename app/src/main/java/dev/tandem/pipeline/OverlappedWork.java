package dev.tandem.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * A stage's in-memory work for one batch, started in {@link Stage#process} on a thread of its own
 * and joined in {@link Stage#write}: it overlaps with the writes of the stages before it, on the
 * core the processor's thread leaves idle. What it may touch: the batch's items and changes (no
 * stage changes them after its own process), the stage's own fields (joined before the stage reads
 * them: {@link Future#get} orders the two threads), and reads of committed data on a connection of
 * its own, which see the same as a read in process would.
 *
 * <p>A failure of the work is thrown by {@link #join} in the write, so the batch fails at that
 * stage as it would have in process. {@link #forget} waits for work still running, so a discarded
 * batch's work never runs beside the next batch's. A closed thread runs the work on the caller's.
 */
public final class OverlappedWork implements AutoCloseable {
    private final ExecutorService thread;
    private final Counter waited;
    private Future<?> running;

    /** @param name the thread's name, such as {@code journeys-ahead} */
    public OverlappedWork(String name) {
        this(name, null);
    }

    /**
     * As {@link #OverlappedWork(String)}, counting the time the caller waited at {@link #join} as
     * {@code tandem.process.overlap.wait.seconds{work=name}}: how much of the work the earlier
     * writes did not cover.
     */
    public OverlappedWork(String name, MeterRegistry meters) {
        this.thread = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name(name).daemon(true).unstarted(r));
        this.waited = meters == null
                ? null
                : Counter.builder("tandem.process.overlap.wait.seconds")
                        .description("Time the processor's thread waited for a stage's overlapped work")
                        .tag("work", name)
                        .register(meters);
    }

    /** Starts the batch's work; one at a time ({@link #join} or {@link #forget} the previous first). */
    public void start(Runnable work) {
        if (running != null) {
            throw new IllegalStateException("the previous batch's work was neither joined nor forgotten");
        }
        try {
            running = thread.submit(work);
        } catch (RejectedExecutionException e) {
            work.run(); // stopping: the caller's thread does it
        }
    }

    /**
     * Waits for the batch's work and throws what it threw; nothing when none was started. The wait
     * is not cut short by an interrupt (the flag is set again after): the work must be over before
     * the stage reads or clears what it fills.
     */
    public void join() {
        Future<?> f = running;
        if (f == null) {
            return;
        }
        boolean interrupted = false;
        long began = waited != null && !f.isDone() ? System.nanoTime() : 0;
        try {
            while (true) {
                try {
                    f.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (began != 0) {
                waited.increment((System.nanoTime() - began) / 1e9);
            }
            running = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for work still running and drops its failure: the batch was discarded (an {@link Error} still propagates). */
    public void forget() {
        try {
            join();
        } catch (RuntimeException e) {
            // the batch is discarded already; its work's failure shows when the batch is tried again
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
