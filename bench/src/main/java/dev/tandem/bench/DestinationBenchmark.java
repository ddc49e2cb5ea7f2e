package dev.tandem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.config.Json;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./tandem bench destinations}: a real server delivering batched webhooks to local
 * receivers, all in one run: (1) one destination, events per second delivered from a backlog (the
 * receiver holds the first request until every event is processed, then the outbox drains); (2) five
 * destinations at once, per destination; (3) the processor's throughput with those five subscribed
 * against none; (4) a healthy destination's p95 latency (receipt to arrival at the receiver) with a
 * dead one (connection refused) beside it, against alone.
 */
public final class DestinationBenchmark {
    private static final String WRITE_KEY = "wk_bench_destinations";
    private static final String SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("bench-secret-0123456789abcdef!!".getBytes(StandardCharsets.UTF_8));
    private static final ObjectMapper MAPPER = Json.mapper();

    private DestinationBenchmark() {}

    /** A local receiver: counts messages and keeps their latency from receipt (the message's timestamp). */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(4);
        final AtomicLong messages = new AtomicLong();
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile long first;
        volatile long last;
        /** Holds the first request until released, so the outbox fills behind it and delivery is measured from a backlog. */
        final java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(executor);
            server.createContext("/", ex -> {
                JsonNode body = MAPPER.readTree(ex.getRequestBody().readAllBytes());
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long now = System.currentTimeMillis();
                if (first == 0) {
                    first = now;
                }
                for (JsonNode m : body.path("batch")) {
                    java.time.Instant at =
                            java.time.Instant.parse(m.path("timestamp").asText());
                    latencies.add(now - at.toEpochMilli());
                }
                messages.addAndGet(body.path("batch").size());
                last = now;
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        long p95() {
            List<Long> sorted = new ArrayList<>(latencies);
            sorted.sort(null);
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow(); // its threads are not daemons: left running, the benchmark's JVM never exits
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args, Map.of("events", "100000", "batch", "500"));
        int events = Integer.parseInt(o.get("events"));
        int maxBatch = Integer.parseInt(o.get("batch"));
        System.out.printf(
                "Destinations benchmark: %,d events per run, webhook batches of %d, SQLite%n", events, maxBatch);
        List<String> results = new ArrayList<>();
        run(events / 5, List.of(), null, new ArrayList<>(), "warm-up"); // the first run in a JVM is cold: not counted
        double none = run(events, List.of(), null, results, "processor, no destination");
        List<Receiver> one = receivers(1);
        run(events, one, null, results, "1 destination");
        double single = rate(one.get(0), events);
        List<Receiver> five = receivers(5);
        double withFive = run(events, five, null, results, "processor, 5 destinations subscribed");
        List<Double> rates = new ArrayList<>();
        five.forEach(r -> rates.add(rate(r, events)));
        // latency runs: nothing held, delivery as events arrive
        List<Receiver> alone = receivers(1);
        alone.forEach(r -> r.hold.countDown());
        run(events / 5, alone, null, results, "healthy destination alone");
        List<Receiver> beside = receivers(1);
        beside.forEach(r -> r.hold.countDown());
        String dead = "http://127.0.0.1:" + closedPort() + "/hook";
        run(events / 5, beside, dead, results, "healthy destination beside a dead one");

        System.out.println();
        results.forEach(System.out::println);
        System.out.printf("%-52s %,10.0f events/s%n", "delivery, 1 destination", single);
        for (int i = 0; i < rates.size(); i++) {
            System.out.printf(
                    "%-52s %,10.0f events/s  (%.0f%% of one alone)%n",
                    "delivery, 5 together: d" + i, rates.get(i), 100 * rates.get(i) / single);
        }
        System.out.printf(
                "%-52s %,10.0f events/s  (%.0f%% of none)%n",
                "processor with 5 destinations", withFive, 100 * withFive / none);
        System.out.printf("%-52s %,10.0f events/s%n", "processor without destinations", none);
        System.out.printf(
                "%-52s %,10d ms  (alone %,d ms: %+.0f%%)%n",
                "healthy p95 beside a dead destination",
                beside.get(0).p95(),
                alone.get(0).p95(),
                100.0
                        * (beside.get(0).p95() - alone.get(0).p95())
                        / Math.max(1, alone.get(0).p95()));
        for (List<Receiver> rs : List.of(one, five, alone, beside)) {
            rs.forEach(Receiver::close);
        }
    }

    private static double rate(Receiver r, int events) {
        return r.messages.get() * 1000.0 / Math.max(1, r.last - r.first);
    }

    private static List<Receiver> receivers(int n) throws Exception {
        List<Receiver> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Receiver());
        }
        return out;
    }

    private static List<String> urls(List<Receiver> receivers) {
        return receivers.stream().map(Receiver::url).toList();
    }

    /** Starts a server with a destination per URL (and a dead one when given), sends the events, waits until processed and delivered; returns the processor's events/s. */
    private static double run(int events, List<Receiver> receivers, String dead, List<String> results, String what)
            throws Exception {
        List<String> urls = urls(receivers);
        Runnable release = () -> receivers.forEach(r -> r.hold.countDown());
        Path dir = Files.createTempDirectory("tandem-bench-destinations-");
        StringBuilder yaml =
                new StringBuilder("sources:\n  - name: bench\n    writeKey: " + WRITE_KEY + "\ndestinations:\n");
        List<String> all = new ArrayList<>(urls);
        if (dead != null) {
            all.add(dead);
        }
        for (int i = 0; i < all.size(); i++) {
            yaml.append("  - key: d")
                    .append(i)
                    .append("\n    type: webhook\n    owners: [bench]\n    settings: { url: \"")
                    .append(all.get(i))
                    .append("\", secret: \"")
                    .append(SECRET)
                    .append("\", maxBatch: 500, timeout: 120s }\n")
                    .append("    purposes: [analytics]\n    events: \"type == 'track'\"\n");
        }
        if (all.isEmpty()) {
            yaml.append("  []\n");
        }
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, all.isEmpty() ? yaml.toString().replace("destinations:\n  []\n", "") : yaml.toString());
        Map<String, String> values = new HashMap<>();
        values.put("port", Integer.toString(closedPort()));
        values.put("data", dir.resolve("data").toString());
        values.put("adminToken", "bench-admin-token-0123456789");
        try (Tandem tandem = Tandem.start(
                ServerConfig.resolve(values, Map.of(), Map.of()), Workspace.load(file), Clock.systemUTC())) {
            HttpClient http = HttpClient.newHttpClient();
            String auth =
                    "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            for (int b = 0; b < events / 100; b++) {
                StringBuilder body = new StringBuilder("{\"batch\":[");
                for (int i = 0; i < 100; i++) {
                    body.append(i == 0 ? "" : ",")
                            .append("{\"type\":\"track\",\"userId\":\"u")
                            .append((b * 100 + i) % 5000)
                            .append("\",\"event\":\"Bench\",\"properties\":{\"n\":")
                            .append(i)
                            .append("}}");
                }
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tandem.port() + "/v1/batch"))
                                .header("Authorization", auth)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        body.append("]}").toString()))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            while (tandem.processor().status().cursor()
                    < tandem.processor().status().latest()) {
                Thread.sleep(5);
            }
            double processed = events / ((System.nanoTime() - start) / 1e9);
            release.run();
            long deadline = System.nanoTime() + 600_000_000_000L;
            for (String url : urls) {
                while (System.nanoTime() < deadline && delivered(tandem, urls.indexOf(url)) < events / 100 * 100) {
                    Thread.sleep(20);
                }
            }
            results.add(String.format("%-52s %,10.0f events/s ingested and processed", what, processed));
            return processed;
        }
    }

    private static long delivered(Tandem tandem, int index) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + tandem.port() + "/v1/destinations/d" + index + "/health"))
                                .header("Authorization", "Bearer bench-admin-token-0123456789")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(r.body()).path("delivered").asLong();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
