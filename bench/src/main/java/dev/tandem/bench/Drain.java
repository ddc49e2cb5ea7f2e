package dev.tandem.bench;

import dev.tandem.process.Processor;

/**
 * Steps a stopped processor until the inbox is drained, showing progress every 2 s; returns events
 * per second. Also prints the calling thread's CPU time per event: on a machine shared with other
 * work the wall-clock rate swings with their load, the CPU spent per event much less.
 */
final class Drain {
    private Drain() {}

    static double run(Processor processor, long events, String what) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long from = processor.status().cursor();
        long lastShown = start;
        while (processor.step()) {
            long now = System.nanoTime();
            if (now - lastShown > 2_000_000_000L) {
                long done = processor.status().cursor() - from;
                System.out.printf(
                        "  %s: %,d / %,d (%.0f events/s)%n", what, done, events, done / ((now - start) / 1e9));
                lastShown = now;
            }
        }
        double rate = events / ((System.nanoTime() - start) / 1e9);
        double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / events;
        System.out.printf("  %s: done, %,.0f events/s, %.1f µs of processor CPU an event%n", what, rate, cpuMicros);
        return rate;
    }
}
