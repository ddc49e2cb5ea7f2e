package dev.tandem.bench;

import dev.tandem.process.ProcessorStatus;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@code ./tandem bench kpis}, in one run on SQLite: (1) the processor's throughput replaying the same
 * events with 20 KPIs declared against none (ABAB, the best of each counted), the pipeline's whole
 * work from the first stage to the commit; (2) {@code GET /v1/kpis/{key}?by=touchpoint} over a year of
 * daily buckets with 50 dimension values (18,615 rows), p50 and p99 after a warm-up.
 */
public final class KpiBenchmark {
    private static final String WRITE_KEY = "wk_bench_kpis";
    private static final String ADMIN = "bench-admin-token-0123456789";
    private static final String[] TOUCHPOINTS = {"checkout", "delivery", "support", "app", "store"};

    private KpiBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args, Map.of("events", "100000", "requests", "2000", "rounds", "2"));
        int rounds = Integer.parseInt(o.get("rounds"));
        int events = Integer.parseInt(o.get("events"));
        int requests = Integer.parseInt(o.get("requests"));
        System.out.printf(
                "KPI benchmark: %,d events replayed with 0 and 20 KPIs; %,d requests over a year of buckets; SQLite%n",
                events, requests);
        double none = 0;
        double twenty = 0;
        for (int round = 0; round < rounds; round++) {
            none = Math.max(none, replay(events, 0));
            twenty = Math.max(twenty, replay(events, 20));
        }
        long[] latency = query(requests);
        System.out.println();
        if (rounds > 0) {
            System.out.printf("%-44s %,10.0f events/s%n", "pipeline, no KPI", none);
            System.out.printf(
                    "%-44s %,10.0f events/s  (%.0f%% of none)%n", "pipeline, 20 KPIs", twenty, 100 * twenty / none);
        }
        System.out.printf(
                "%-44s p50 %.2f ms, p99 %.2f ms%n",
                "GET /v1/kpis/{key}, 365 days x 50 values", latency[0] / 1e6, latency[1] / 1e6);
    }

    /** The workspace's kpis: section with {@code count} KPIs of every type. */
    private static String kpis(int count) {
        StringBuilder y = new StringBuilder(count == 0 ? "" : "kpis:\n");
        for (int i = 0; i < count; i++) {
            y.append("  - key: k")
                    .append(i)
                    .append("\n    name: KPI ")
                    .append(i)
                    .append("\n    owners: [marketing, it]\n");
            switch (i % 5) {
                case 0, 1 ->
                    y.append(
                                    "    type: nps\n    events: \"event == 'Survey Answered' && properties.survey == 'nps'\"\n")
                            .append("    value: properties.score\n")
                            .append("    by: {touchpoint: properties.touchpoint, channel: context.channel}\n");
                case 2 ->
                    y.append(
                                    "    type: top_box\n    events: \"event == 'Survey Answered' && properties.survey == 'csat'\"\n")
                            .append("    value: properties.score\n    scale: [0, 10]\n    box: [8, 10]\n")
                            .append("    by: {touchpoint: properties.touchpoint}\n");
                case 3 ->
                    y.append(
                                    "    type: mean\n    events: \"event == 'Order Completed'\"\n    value: properties.total\n")
                            .append("    by: {channel: context.channel}\n");
                default ->
                    y.append("    type: conversion\n    denominator: \"event == 'Product Viewed'\"\n")
                            .append("    numerator: \"event == 'Order Completed'\"\n    window: 1d\n");
            }
        }
        return y.toString();
    }

    /** Starts a server with {@code count} KPIs, sends the events, waits, then times a replay of all of them. */
    private static double replay(int events, int count) throws Exception {
        Path dir = Files.createTempDirectory("tandem-bench-kpis-");
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, "sources:\n  - name: bench\n    writeKey: " + WRITE_KEY + "\n" + kpis(count));
        try (Tandem tandem = start(dir, file)) {
            send(tandem, events);
            await(tandem);
            long start = System.nanoTime();
            tandem.processor().replay();
            // the replay has begun once the cursor went back; only then can "caught up" mean it is done
            while (tandem.processor().status().cursor() >= events / 2) {
                Thread.sleep(1);
            }
            await(tandem);
            double rate = events / ((System.nanoTime() - start) / 1e9);
            System.out.printf("  replay with %2d KPIs: %,10.0f events/s%n", count, rate);
            return rate;
        }
    }

    private static void await(Tandem tandem) throws InterruptedException {
        Thread.sleep(50);
        while (true) {
            ProcessorStatus s = tandem.processor().status();
            if (s.state() != ProcessorStatus.State.REPLAYING && s.cursor() >= s.latest() && s.latest() > 0) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private static void send(Tandem tandem, int events) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        for (int b = 0; b < events / 100; b++) {
            StringBuilder body = new StringBuilder("{\"batch\":[");
            for (int i = 0; i < 100; i++) {
                int n = b * 100 + i;
                String event = switch (n % 4) {
                    case 0 -> "Survey Answered\",\"properties\":{\"survey\":\"nps\",\"score\":" + n % 11;
                    case 1 -> "Survey Answered\",\"properties\":{\"survey\":\"csat\",\"score\":" + n % 11;
                    case 2 -> "Product Viewed\",\"properties\":{\"sku\":\"p" + n % 50 + "\"";
                    default -> "Order Completed\",\"properties\":{\"total\":" + n % 200;
                };
                body.append(i == 0 ? "" : ",")
                        .append("{\"type\":\"track\",\"userId\":\"u")
                        .append(n % 5000)
                        .append("\",\"event\":\"")
                        .append(event)
                        .append(",\"touchpoint\":\"")
                        .append(TOUCHPOINTS[n % TOUCHPOINTS.length])
                        .append("\"},\"context\":{\"channel\":\"")
                        .append(n % 3 == 0 ? "email" : "app")
                        .append("\"}}");
            }
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tandem.port() + "/v1/batch"))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    body.append("]}").toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("The batch was refused: " + r.statusCode() + " " + r.body());
            }
        }
    }

    /** Fills a year of daily buckets with 50 touchpoints for k0, then times GET /v1/kpis/k0 over that year; p50 and p99 in ns. */
    private static long[] query(int requests) throws Exception {
        Path dir = Files.createTempDirectory("tandem-bench-kpis-");
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, "sources:\n  - name: bench\n    writeKey: " + WRITE_KEY + "\n" + kpis(1));
        try (Tandem tandem = start(dir, file)) {
            LocalDate first = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(364);
            tandem.database().jdbi().useTransaction(h -> {
                PreparedBatch batch = h.prepareBatch(
                        "INSERT INTO kpi_buckets (kpi, dimension, member, day, n, promoters, passives, detractors, total, squares) "
                                + "VALUES ('k0', :d, :m, :day, 60, 20, 20, 20, 300, 2100)");
                for (int day = 0; day < 365; day++) {
                    String date = first.plusDays(day).toString();
                    batch.bind("d", "").bind("m", "").bind("day", date).add();
                    for (int m = 0; m < 50; m++) {
                        batch.bind("d", "touchpoint")
                                .bind("m", "tp-" + m)
                                .bind("day", date)
                                .add();
                    }
                }
                batch.execute();
                // the month rows the stage keeps beside the days
                h.execute("INSERT INTO kpi_months (kpi, dimension, member, month, n, promoters, passives, detractors, "
                        + "total, squares) SELECT kpi, dimension, member, substr(day, 1, 7), SUM(n), SUM(promoters), "
                        + "SUM(passives), SUM(detractors), SUM(total), SUM(squares) FROM kpi_buckets "
                        + "GROUP BY kpi, dimension, member, substr(day, 1, 7)");
            });
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + tandem.port() + "/v1/kpis/k0?from=" + first + "&to="
                                    + first.plusDays(364) + "&by=touchpoint&interval=week"))
                    .header("Authorization", "Bearer " + ADMIN)
                    .build();
            for (int i = 0; i < Math.max(100, requests / 5); i++) {
                http.send(get, HttpResponse.BodyHandlers.discarding());
            }
            List<Long> took = new ArrayList<>(requests);
            for (int i = 0; i < requests; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                took.add(System.nanoTime() - t);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET /v1/kpis/k0 answered " + r.statusCode() + " " + r.body());
                }
            }
            took.sort(null);
            // the same route over one day of buckets: what the server's path costs on this machine now
            HttpRequest one = HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + tandem.port() + "/v1/kpis/k0?from=" + first + "&to=" + first))
                    .header("Authorization", "Bearer " + ADMIN)
                    .build();
            List<Long> base = new ArrayList<>(requests);
            for (int i = 0; i < requests; i++) {
                long t = System.nanoTime();
                http.send(one, HttpResponse.BodyHandlers.ofString());
                base.add(System.nanoTime() - t);
            }
            base.sort(null);
            System.out.printf(
                    "  baseline, one day of buckets: p50 %.2f ms, p99 %.2f ms%n",
                    base.get(requests / 2) / 1e6, base.get((int) Math.ceil(requests * 0.99) - 1) / 1e6);
            return new long[] {took.get(requests / 2), took.get((int) Math.ceil(requests * 0.99) - 1)};
        }
    }

    private static Tandem start(Path dir, Path file) throws Exception {
        Map<String, String> values = new HashMap<>();
        try (ServerSocket s = new ServerSocket(0)) {
            values.put("port", Integer.toString(s.getLocalPort()));
        }
        values.put("data", dir.resolve("data").toString());
        values.put("adminToken", ADMIN);
        return Tandem.start(ServerConfig.resolve(values, Map.of(), Map.of()), Workspace.load(file), Clock.systemUTC());
    }
}
