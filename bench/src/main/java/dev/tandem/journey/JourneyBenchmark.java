package dev.tandem.journey;

import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tandem bench journeys [--parts timers,throughput,dryrun] [--waiting 1000000] [--customers
 * 20000] [--events 100000] [--rounds 2] [--profiles 1000000]}. Timers: a server on SQLite with one
 * journey of two day-long waits; {@code --waiting} instances are put at its first wait, all due at the same moment;
 * the clock moves past it and the benchmark measures how fast the pipeline lane's
 * {@code journeys.advance} moves them to the second wait (two transitions each: advanced, waiting),
 * and the heap with none waiting, all waiting and while they fire. Throughput and dry run: {@link
 * JourneyReach}.
 */
public final class JourneyBenchmark {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

    private JourneyBenchmark() {}

    /** A clock that stands still until moved. */
    private static final class Moved extends Clock {
        private volatile Instant now = START;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = new HashMap<>(Map.of(
                "waiting", 1_000_000, "customers", 20_000, "events", 100_000, "rounds", 2, "profiles", 1_000_000));
        String parts = "timers,throughput,dryrun";
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (i + 1 >= args.length || !(o.containsKey(name) || name.equals("parts"))) {
                throw new IllegalArgumentException("Bad argument '" + args[i]
                        + "'; the options are --parts timers,throughput,dryrun and --"
                        + String.join(" N, --", o.keySet())
                        + " N");
            }
            if (name.equals("parts")) {
                parts = args[i + 1];
            } else {
                o.put(name, Integer.parseInt(args[i + 1].replace("_", "")));
            }
        }
        if (parts.contains("timers")) {
            timers(o.get("waiting"));
        }
        if (parts.contains("throughput")) {
            JourneyReach.throughput(o.get("customers"), o.get("events"), o.get("rounds"));
        }
        if (parts.contains("dryrun")) {
            JourneyReach.dryRun(o.get("profiles"));
        }
    }

    private static void timers(int waiting) throws Exception {
        Path dir = Files.createTempDirectory("tandem-bench-journeys");
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, """
                journeys:
                  - key: bench
                    owners: [bench]
                    entry: { event: "event == 'Bench Entered'" }
                    steps:
                      - wait: 1d
                      - wait: 1d
                """);
        Map<String, String> values = new HashMap<>();
        values.put("port", "0");
        values.put("data", dir.resolve("data").toString());
        values.put("adminToken", "bench-admin-token-0123456789");
        Moved clock = new Moved();
        System.out.printf("Journey benchmark: %,d instances waiting in one journey, due together (SQLite)%n", waiting);
        System.out.printf(
                "  load average at start: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (Tandem tandem =
                Tandem.start(ServerConfig.resolve(values, Map.of(), Map.of()), Workspace.load(file), clock)) {
            JourneyStore store = new JourneyStore(tandem.database());
            long heapEmpty = usedAfterGc();
            long t = System.nanoTime();
            long due = START.plus(Duration.ofDays(1)).toEpochMilli();
            for (int from = 0; from < waiting; from += 10_000) {
                List<Instance> chunk = new ArrayList<>(10_000);
                for (int i = from; i < Math.min(waiting, from + 10_000); i++) {
                    chunk.add(new Instance(
                            0,
                            "bench",
                            i + 1L,
                            "",
                            1,
                            "0",
                            Instance.WAITING,
                            false,
                            START.toEpochMilli(),
                            due,
                            null,
                            null,
                            null,
                            null));
                }
                store.inTransaction(h -> store.insert(h, chunk));
            }
            System.out.printf(
                    "  put %,d instances at the first wait             %10.0f /s%n", waiting, waiting / seconds(t));
            long heapWaiting = usedAfterGc();

            clock.now = START.plus(Duration.ofDays(1)).plusSeconds(1);
            t = System.nanoTime();
            tandem.scheduler().schedule(JourneyRunner.KIND, "bench", clock.instant(), null);
            long maxHeap = 0;
            while (true) {
                long left = tandem.database()
                        .jdbi()
                        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM journey_instances WHERE step = '0'")
                                .mapTo(Long.class)
                                .one());
                maxHeap = Math.max(
                        maxHeap,
                        Runtime.getRuntime().totalMemory()
                                - Runtime.getRuntime().freeMemory());
                if (left == 0) {
                    break;
                }
                Thread.sleep(200);
            }
            double s = seconds(t);
            System.out.printf(
                    "  %,d instances advanced to the second wait in %.1f s: %,.0f instances/s, %,.0f transitions/s%n",
                    waiting, s, waiting / s, 2 * waiting / s);
            long heapAfter = usedAfterGc();
            System.out.printf(
                    "  heap after GC: none waiting %,d MB, %,d waiting %,d MB, after firing %,d MB (peak while firing, before GC: %,d MB)%n",
                    heapEmpty >> 20, waiting, heapWaiting >> 20, heapAfter >> 20, maxHeap >> 20);
            System.out.printf(
                    "  load average at end: %.2f%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }
}
