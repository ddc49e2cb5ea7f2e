package dev.tandem.journey;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the CPU of a benchmark's JVM went: the processor's parts (its
 * {@code tandem.process.cpu.seconds} and {@code tandem.process.wall.seconds} counters: each part of
 * a batch, the pipeline lane run between batches, the pause that leaves the cores to tracking calls),
 * each thread by name (garbage collection and the JIT are in the whole process only), and the whole
 * process. Why: on two cores shared by the sender, the server and the processor, events per second
 * alone does not say which part a change moved, nor whether the processor was short of CPU or waited.
 */
record CpuSnapshot(Map<String, Double> parts, Map<String, Long> threads, long process) {
    static CpuSnapshot take(JourneyServer server) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new CpuSnapshot(server.cpuParts(), threadTimes(), os.getProcessCpuTime());
    }

    /** The CPU time of the live threads, in nanoseconds, added up by name without its number. */
    private static Map<String, Long> threadTimes() {
        var bean = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (var info : bean.getThreadInfo(bean.getAllThreadIds())) {
            long cpu = info == null ? -1 : bean.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                out.merge(info.getThreadName().replaceAll("[-#]?\\d+$", ""), cpu, Long::sum);
            }
        }
        return out;
    }

    /** Prints, per event, what was spent from {@code before} to this snapshot over {@code seconds}. */
    void printSince(CpuSnapshot before, long events, double seconds) {
        StringBuilder line = new StringBuilder();
        StringBuilder waits = new StringBuilder();
        StringBuilder walls = new StringBuilder();
        double total = 0;
        double wallTotal = 0;
        for (var e : parts.entrySet()) {
            double micros = (e.getValue() - before.parts.getOrDefault(e.getKey(), 0.0)) * 1e6 / events;
            if (e.getKey().startsWith("wait:")) {
                waits.append(String.format("; waited for %s %.1f", e.getKey().substring(5), micros));
                continue;
            }
            if (e.getKey().startsWith("wall:")) {
                wallTotal += micros;
                if (micros >= 0.05) {
                    walls.append(String.format(" %s %.1f,", e.getKey().substring(5), micros));
                }
                continue;
            }
            total += micros;
            if (micros >= 0.05) {
                line.append(String.format(" %s %.1f,", e.getKey(), micros));
            }
        }
        System.out.printf(
                "    µs an event while the events arrived: %.1f wall%s; the processor's parts %.1f CPU:%s%n",
                seconds * 1e6 / events, waits, total, line.isEmpty() ? "" : line.substring(0, line.length() - 1));
        System.out.printf(
                "    the same parts by the wall clock %.1f (the rest of the processor's wall: waiting for events):%s%n",
                wallTotal, walls.isEmpty() ? "" : walls.substring(0, walls.length() - 1));
        StringBuilder byThread = new StringBuilder();
        threads.entrySet().stream()
                .map(e -> Map.entry(
                        e.getKey(), (e.getValue() - before.threads.getOrDefault(e.getKey(), 0L)) / 1e3 / events))
                .filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> byThread.append(String.format(" %s %.1f,", e.getKey(), e.getValue())));
        System.out.printf(
                "    CPU by thread:%s; the whole JVM (with GC and JIT) %.1f%n",
                byThread.isEmpty() ? "" : byThread.substring(0, byThread.length() - 1),
                (process - before.process) / 1e3 / events);
    }
}
