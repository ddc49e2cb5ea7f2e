package dev.tandem.process;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Acknowledgements first: while tracking calls queue for the inbox's commit and the machine's CPU
 * is saturated, the processor pauses after each batch so that it keeps only {@code share} of its
 * time, and the cores go to taking events in. When the CPU has room, or calls do not queue, it runs
 * flat out. Why: a tracking call waits for its commit, a profile does not; a burst is taken in at
 * full speed and applied right after, at the processor's full speed. The processor never stops: at
 * the smallest share it still applies a batch, then pauses at most {@link #MAX_PAUSE_NANOS}.
 */
public final class IngestFirst {
    /** Never yields: for a processor without an inbox writer beside it (tools, benchmarks of the processor alone). */
    public static final IngestFirst NEVER = new IngestFirst(() -> false, () -> false, 1.0);

    private static final long MAX_PAUSE_NANOS = 250_000_000L;
    private static final long CPU_READ_EVERY_NANOS = 100_000_000L;
    private static final double SATURATED = 0.85;

    private final BooleanSupplier ingestQueueing;
    private final BooleanSupplier ingestActive;
    private final double share;
    private final com.sun.management.OperatingSystemMXBean os =
            ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    private long cpuReadAt;
    private boolean saturated;

    /**
     * @param ingestQueueing true while tracking calls wait on each other for the inbox's commit
     * @param ingestActive   true while tracking calls are coming in at all
     * @param share          the part of its time the processor keeps then, above 0 and at most 1
     */
    public IngestFirst(BooleanSupplier ingestQueueing, BooleanSupplier ingestActive, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be above 0 and at most 1, was " + share);
        }
        this.ingestQueueing = ingestQueueing;
        this.ingestActive = ingestActive;
        this.share = share;
    }

    /**
     * True when a thread beside the processor's (reading ahead) takes a core nobody else wants: no
     * tracking calls are coming in. While they are, the second core is theirs, even when the CPU
     * seems to have room: measured, reading ahead then cost ingest up to 15% (docs/benchmarks.md).
     */
    boolean coreToSpare() {
        return !ingestActive.getAsBoolean();
    }

    /** Called by the processor after a batch that took {@code batchNanos}; pauses when acknowledgements need the CPU. */
    void after(long batchNanos) {
        if (share >= 1 || !ingestQueueing.getAsBoolean() || !cpuSaturated()) {
            return;
        }
        LockSupport.parkNanos(Math.min(MAX_PAUSE_NANOS, (long) (batchNanos * (1 - share) / share)));
    }

    private boolean cpuSaturated() {
        long now = System.nanoTime();
        if (now - cpuReadAt > CPU_READ_EVERY_NANOS) {
            cpuReadAt = now;
            double load = os == null ? -1 : os.getCpuLoad();
            saturated = load >= SATURATED;
        }
        return saturated;
    }
}
