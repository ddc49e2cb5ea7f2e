package dev.tandem.bench;

import dev.tandem.server.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable ingest with a tracking plan of 50 events in {@code block} mode against ingest without a
 * plan, in the same run: the same load as {@code bench ingest} (a real server, SQLite
 * synchronous=FULL, {@code /v1/batch} over HTTP), the two alternated round by round so that a
 * shared machine's load falls on both alike. The traffic's event is one of the plan's 50, with
 * every property planned, typed and required, so each event is validated in full and passes.
 * Reports each round and the ratio of the medians (target >= 90%).
 *
 * <p>Options: {@code --seconds N} per round (default 10, after 3 s warm-up), {@code --rounds N}
 * counted rounds of each (default 4, after one warm-up round of each that is not counted), {@code --batch N} events per request (default 20), {@code --clients N}
 * (default 8), {@code --backlog N} events in the processor's backlog (default 0: the processor idle,
 * so the plan's cost is the largest share it can be).
 */
final class PlanBenchmark {
    private PlanBenchmark() {}

    static void main(String[] args) throws Exception {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("seconds", "10");
        defaults.put("rounds", "4");
        defaults.put("batch", "20");
        defaults.put("clients", "8");
        defaults.put("backlog", "0");
        Map<String, String> options = Options.parse(args, defaults);
        int seconds = Integer.parseInt(options.get("seconds"));
        int rounds = Integer.parseInt(options.get("rounds"));
        int batch = Integer.parseInt(options.get("batch"));
        int clients = Integer.parseInt(options.get("clients"));
        int backlog = Integer.parseInt(options.get("backlog"));
        System.out.printf(
                "Tracking-plan ingest benchmark: %d cores, batch %d, %d clients, %d s per round, %d rounds each, backlog %,d%n",
                Runtime.getRuntime().availableProcessors(), batch, clients, seconds, rounds, backlog);
        Workspace plain = workspace(false);
        Workspace planned = workspace(true);
        IngestBenchmark.Load load = new IngestBenchmark.Load(seconds, null, backlog, true);
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        System.out.printf("%-6s %-22s %14s %10s %10s%n", "round", "plan", "events/s", "p50 ms", "p99 ms");
        // round 0 warms the JIT for both and is not counted: the first runs of a JVM are the slowest
        for (int round = 0; round <= rounds; round++) {
            // alternate which goes first, so neither always runs on a warmer (or busier) machine
            for (boolean withPlan : round % 2 == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                IngestBenchmark.Result r = IngestBenchmark.http(batch, clients, load, withPlan ? planned : plain);
                if (round > 0) {
                    (withPlan ? with : without).add(r.eventsPerSecond());
                }
                System.out.printf(
                        "%-6s %-22s %,14.0f %10.2f %10.2f%n",
                        round == 0 ? "warm" : Integer.toString(round),
                        withPlan ? "50 events, block" : "none",
                        r.eventsPerSecond(),
                        r.p50Millis(),
                        r.p99Millis());
            }
        }
        double a = median(without);
        double b = median(with);
        System.out.printf(
                "%nmedian without a plan %,.0f events/s, with a 50-event plan in block mode %,.0f events/s: %.0f%% (target >= 90%%)%n",
                a, b, 100 * b / a);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The bench source, with or without a plan of 50 events whose first is the one the load sends. */
    private static Workspace workspace(boolean withPlan) throws Exception {
        StringBuilder yaml =
                new StringBuilder("sources:\n  - name: bench\n    writeKey: " + IngestBenchmark.WRITE_KEY + "\n");
        if (withPlan) {
            yaml.append(
                    "trackingPlans:\n  - key: bench\n    sources: [bench]\n    mode: block\n    owners: [bench]\n    events:\n");
            yaml.append("""
                          Product Viewed:
                            type: object
                            required: [product_id, sku, name, price, currency, category]
                            properties:
                              product_id: {type: string, pattern: "^p-[0-9]+$"}
                              sku: {type: string, maxLength: 40}
                              name: {type: string}
                              price: {type: number, minimum: 0}
                              currency: {type: string, enum: [USD, EUR, GBP]}
                              category: {type: string}
                    """);
            for (int i = 1; i < 50; i++) {
                yaml.append("      Event ")
                        .append(i)
                        .append(":\n")
                        .append("        type: object\n        required: [id]\n        properties:\n")
                        .append("          id: {type: string}\n          amount: {type: number}\n")
                        .append("          tags: {type: array, items: {type: string}}\n");
            }
        }
        Path dir = Files.createTempDirectory("tandem-bench-plan-");
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, yaml);
        return Workspace.load(file);
    }
}
