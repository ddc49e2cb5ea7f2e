package dev.tandem.journey;

import dev.tandem.process.ProcessorStatus;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A server of the journey benchmarks on a fresh SQLite store with a source {@code bench}, a file
 * destination {@code sink} and what the caller adds to its tandem.yaml; events go in through
 * {@code /v1/batch} as an SDK sends them, and {@link #awaitProcessed} waits until the processor has
 * applied all of them.
 */
final class JourneyServer implements AutoCloseable {
    static final String WRITE_KEY = "wk_bench_journeys_0001";
    static final String ADMIN = "bench-admin-token-0123456789";
    static final String BASE = """
            sources:
              - name: bench
                writeKey: %s
            profiles:
              computedTraits:
                - { name: orders_30d, aggregate: count, event: Order Completed, window: 30d }
            destinations:
              - key: sink
                type: file
                owners: [it]
                settings: { directory: sink, format: jsonl }
                purposes: [analytics]
            """.formatted(WRITE_KEY);

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private final Tandem tandem;
    private final String url;
    private final String auth =
            "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));

    private JourneyServer(Tandem tandem) {
        this.tandem = tandem;
        this.url = "http://127.0.0.1:" + tandem.port();
    }

    /** Starts a server whose tandem.yaml is {@link #BASE} followed by {@code more}. */
    static JourneyServer start(String more) throws Exception {
        Path dir = Files.createTempDirectory("tandem-bench-journeys-");
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, BASE + more);
        Map<String, String> values = new HashMap<>();
        values.put("port", "0");
        values.put("data", dir.resolve("data").toString());
        values.put("adminToken", ADMIN);
        return new JourneyServer(Tandem.start(
                ServerConfig.resolve(values, Map.of(), Map.of()), Workspace.load(file), Clock.systemUTC()));
    }

    /** Sends the events (JSON objects) in batches of 100; how many were sent. */
    long send(Iterator<String> events) throws Exception {
        long n = 0;
        StringBuilder body = new StringBuilder();
        int inBatch = 0;
        while (events.hasNext()) {
            body.append(inBatch == 0 ? "{\"batch\":[" : ",").append(events.next());
            n++;
            if (++inBatch == 100 || !events.hasNext()) {
                post("/v1/batch", body.append("]}").toString(), auth);
                body.setLength(0);
                inBatch = 0;
            }
        }
        return n;
    }

    /**
     * Waits until the processor has applied the first {@code events} events of this fresh store (its
     * seqs are 1, 2, ...; the status's latest seq alone can lag behind what was stored).
     */
    void awaitProcessed(String what, long events) throws InterruptedException {
        long start = System.nanoTime();
        long shown = start;
        while (true) {
            ProcessorStatus s = tandem.processor().status();
            if (s.state() != ProcessorStatus.State.REPLAYING && s.cursor() >= events) {
                return;
            }
            long now = System.nanoTime();
            if (now - shown > 5_000_000_000L) {
                System.out.printf("  %s: %,d of %,d events applied%n", what, s.cursor(), events);
                shown = now;
            }
            Thread.sleep(5);
        }
    }

    /** An admin POST; the answer's body, or an exception naming the status. */
    String admin(String path) throws Exception {
        return post(path, "{}", "Bearer " + ADMIN);
    }

    /** The processor's CPU seconds by part of a batch so far ({@code tandem_process_cpu_seconds_total}), and as {@code wait:<work>} its waits for overlapped work, from {@code /metrics}. */
    Map<String, Double> cpuParts() throws Exception {
        String scrape = CLIENT.send(
                        HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, Double> out = new java.util.TreeMap<>();
        for (String prefix : new String[] {
            "tandem_process_cpu_seconds_total{part=\"",
            "tandem_process_wall_seconds_total{part=\"",
            "tandem_process_overlap_wait_seconds_total{work=\""
        }) {
            scrape.lines().filter(l -> l.startsWith(prefix)).forEach(l -> {
                int quote = l.indexOf('"', prefix.length());
                String key = l.substring(prefix.length(), quote);
                out.put(
                        prefix.contains("overlap") ? "wait:" + key : prefix.contains("wall") ? "wall:" + key : key,
                        Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
            });
        }
        return out;
    }

    long count(String sql) {
        return tandem.database()
                .jdbi()
                .withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private String post(String path, String body, String authorization) throws Exception {
        HttpResponse<String> r = CLIENT.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofMinutes(15))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() {
        tandem.close();
    }
}
