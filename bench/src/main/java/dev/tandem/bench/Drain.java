package dev.tandem.bench;

import dev.tandem.process.Processor;

/** Steps a stopped processor until the inbox is drained, showing progress every 2 s; returns events per second. */
final class Drain {
    private Drain() {}

    static double run(Processor processor, long events, String what) {
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
        System.out.printf("  %s: done, %,.0f events/s%n", what, rate);
        return rate;
    }
}
