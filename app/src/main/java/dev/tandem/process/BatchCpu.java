package dev.tandem.process;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The processor thread's CPU time by part of a batch (reading the page, parsing, each stage's
 * {@code process} and {@code write}, the commit, the checkpoints), as the counter
 * {@code tandem.process.cpu.seconds{part}}. Why CPU and not wall time: on a shared machine the wall
 * clock of a part follows other processes' load, its CPU time much less, and the CPU per event is
 * what a throughput target needs from each stage. A lap is one thread-CPU clock read, a few per
 * batch of thousands of events.
 *
 * <p>Beside it, {@code tandem.process.wall.seconds{part}}, the same parts by the wall clock: where a
 * part's wall time exceeds its CPU time the thread waited (for the disk at a commit, for a core taken
 * by other threads), which the CPU counter alone cannot show.
 */
final class BatchCpu {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean measured = threads.isCurrentThreadCpuTimeSupported();
    private final MeterRegistry meters;
    private final Map<String, Counter> parts = new HashMap<>();
    private final Map<String, Counter> walls = new HashMap<>();
    private long wallSince;

    BatchCpu(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The calling thread's CPU time now, in nanoseconds (0 where the JVM cannot tell). */
    long now() {
        wallSince = System.nanoTime();
        return measured ? threads.getCurrentThreadCpuTime() : 0;
    }

    /**
     * Adds the CPU time since {@code since} to {@code part} and no wall time: for a thread beside the
     * processor's (reading ahead), whose wall time overlaps the processor's parts.
     */
    void cpuOnly(String part, long since) {
        if (measured) {
            addCpu(part, threads.getCurrentThreadCpuTime() - since);
        }
    }

    private void addCpu(String part, long nanos) {
        count(
                        parts,
                        "tandem.process.cpu.seconds",
                        "CPU time of the processor's thread by part of a batch, and of its read-ahead thread (part read-ahead)",
                        part)
                .increment(nanos / 1e9);
    }

    private Counter count(Map<String, Counter> kept, String name, String description, String part) {
        return kept.computeIfAbsent(
                part,
                p -> Counter.builder(name)
                        .description(description)
                        .tag("part", p)
                        .register(meters));
    }

    /** Adds the CPU time since {@code since} to {@code part}; returns now, the start of the next part. */
    long lap(String part, long since) {
        long wall = System.nanoTime();
        count(walls, "tandem.process.wall.seconds", "Wall time of the processor's thread by part of a batch", part)
                .increment((wall - wallSince) / 1e9);
        long now = now();
        if (measured) {
            addCpu(part, now - since);
        }
        return now;
    }
}
