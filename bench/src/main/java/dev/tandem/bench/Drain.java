package dev.tandem.bench;

import dev.tandem.process.Processor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;

/**
 * Steps a stopped processor until the inbox is drained, showing progress every 2 s; returns events
 * per second. Also prints the calling thread's CPU time per event: on a machine shared with other
 * work the wall-clock rate swings with their load, the CPU spent per event much less. And, where
 * Linux tells it ({@code /proc/self/io}), the bytes the process wrote per event: the WAL frames of
 * the pages the batches dirtied and the checkpoints that copy them, which a storage layout changes
 * and other processes' load does not.
 */
final class Drain {
    private Drain() {}

    static double run(Processor processor, long events, String what) {
        return run(processor, events, what, null);
    }

    /**
     * As {@link #run(Processor, long, String)}, and prints the processor's CPU an event by part of a
     * batch, from its {@code tandem.process.cpu.seconds} counters in {@code meters}.
     */
    static double run(Processor processor, long events, String what, MeterRegistry meters) {
        Map<String, Double> partsBefore = parts(meters);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long writtenStart = written();
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
        long writtenEnd = written();
        String bytes = writtenStart < 0 || writtenEnd < 0
                ? ""
                : String.format(", %,.0f bytes written an event", (writtenEnd - writtenStart) / (double) events);
        double ahead = (parts(meters).getOrDefault("read-ahead", 0.0) - partsBefore.getOrDefault("read-ahead", 0.0))
                * 1e6
                / events;
        System.out.printf(
                "  %s: done, %,.0f events/s, %.1f µs of processor CPU an event%s%s%n",
                what,
                rate,
                cpuMicros + ahead,
                ahead > 0 ? String.format(" (%.1f of it reading ahead on a thread of its own)", ahead) : "",
                bytes);
        if (meters != null) {
            StringBuilder line = new StringBuilder("    CPU µs an event by part:");
            parts(meters).forEach((part, seconds) -> {
                double micros = (seconds - partsBefore.getOrDefault(part, 0.0)) * 1e6 / events;
                if (micros >= 0.05) {
                    line.append(String.format(" %s %.1f,", part, micros));
                }
            });
            System.out.println(line.substring(0, line.length() - 1));
        }
        return rate;
    }

    private static Map<String, Double> parts(MeterRegistry meters) {
        Map<String, Double> out = new TreeMap<>();
        if (meters != null) {
            for (Counter c : meters.find("tandem.process.cpu.seconds").counters()) {
                out.put(c.getId().getTag("part"), c.count());
            }
        }
        return out;
    }

    /** Bytes this process has handed to write() so far, or -1 where the system does not say. */
    private static long written() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
