package dev.tandem.bench;

import dev.tandem.collect.InboxFixture;
import dev.tandem.collect.IngestBaseline;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.config.Json;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import dev.tandem.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable ingest through HTTP: a real Tandem server (embedded SQLite, synchronous=FULL, fresh
 * directory) and a load generator in this process send {@code /v1/batch} requests at each batch
 * size for a fixed time; every 200 is an event committed to disk. Reports events per second and
 * p50/p99 acknowledgement latency, and the ratio to the baseline measured in the same run.
 *
 * <p>Options: {@code --seconds N} measured time per batch size (default 10, after 3 s warm-up),
 * {@code --batches 1,20,100}, {@code --clients N} concurrent connections (default 64/batch size, at least 8),
 * {@code --database-url URL} to measure an empty PostgreSQL database instead of SQLite,
 * {@code --backlog N} new customers (identify with user id, anonymous id, email, traits) put in the
 * inbox before each measurement, so that the processor is busy building their profiles throughout
 * (default 300,000; 0 for an idle processor). The processor's remaining lag at the end is printed: it
 * must still be behind, or the measurement did not overlap processing. {@code --processor-share P}
 * sets the server's {@code processorShareUnderLoad} (percent; 100 turns acknowledgements-first off).
 */
final class IngestBenchmark {
    static final String WRITE_KEY = "wk_bench_ingest";

    /** The server's processorShareUnderLoad, or null for its default. */
    private static String shareUnderLoad;

    private IngestBenchmark() {}

    static void main(String[] args) throws Exception {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("seconds", "10");
        defaults.put("batches", "1,20,100");
        defaults.put("clients", null);
        defaults.put("database-url", null);
        defaults.put("backlog", "300000");
        defaults.put("processor-share", null);
        Map<String, String> options = Options.parse(args, defaults);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int[] batchSizes = Arrays.stream(
                        options.getOrDefault("batches", "1,20,100").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        String databaseUrl = options.get("database-url");
        int backlog = Integer.parseInt(options.getOrDefault("backlog", "300000"));
        shareUnderLoad = options.get("processor-share");
        System.out.printf(
                "Durable ingest benchmark: %d cores, %d s per batch size, %s, processor busy on a backlog of %,d new customers%n",
                Runtime.getRuntime().availableProcessors(),
                seconds,
                databaseUrl == null ? "SQLite synchronous=FULL" : "PostgreSQL",
                backlog);

        double baseline = baseline(databaseUrl);
        System.out.printf(
                "%nbaseline (parse + append to the same store, one thread, no HTTP): %,.0f events/s%n%n", baseline);
        System.out.printf(
                "%-6s %-8s %14s %10s %10s %10s %8s%n",
                "batch", "clients", "events/s", "req/s", "p50 ms", "p99 ms", "ratio");
        Result first = null;
        for (int batchSize : batchSizes) {
            int clients = Integer.parseInt(java.util.Objects.requireNonNullElse(
                    options.get("clients"), Integer.toString(Math.max(8, 64 / batchSize))));
            Result r = http(batchSize, clients, seconds, databaseUrl, backlog, true);
            System.out.printf(
                    "%-6d %-8d %,14.0f %,10.0f %10.2f %10.2f %7.0f%%%n",
                    batchSize,
                    clients,
                    r.eventsPerSecond,
                    r.requestsPerSecond,
                    r.p50Millis,
                    r.p99Millis,
                    100 * r.eventsPerSecond / baseline);
            if (batchSize == batchSizes[0]) {
                first = r;
            }
        }
        // Sealing of raw events costs: the first batch size again with personal values stored in clear.
        int batchSize = batchSizes[0];
        int clients = Integer.parseInt(java.util.Objects.requireNonNullElse(
                options.get("clients"), Integer.toString(Math.max(8, 64 / batchSize))));
        Result clear = http(batchSize, clients, seconds, databaseUrl, backlog, false);
        System.out.printf(
                "%nbatch %d, personal values in clear (sealRawEvents=false): %,.0f events/s, p99 %.2f ms; sealed is %.0f%% of it (target >= 90%%)%n",
                batchSize, clear.eventsPerSecond, clear.p99Millis, 100 * first.eventsPerSecond / clear.eventsPerSecond);
    }

    record Result(double eventsPerSecond, double requestsPerSecond, double p50Millis, double p99Millis) {}

    private static double baseline(String databaseUrl) throws Exception {
        Path dir = Files.createTempDirectory("tandem-bench-baseline-");
        try (Database database = databaseUrl == null ? Database.sqlite(dir, "FULL") : Database.postgres(databaseUrl)) {
            BodyTemplate template = new BodyTemplate(100);
            List<byte[]> warm = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                warm.add(template.next(i));
            }
            for (int i = 0; i < 4_000; i++) {
                bodies.add(template.next(1_000 + i));
            }
            IngestBaseline.run(database, warm, 2_000, Json.mapper());
            return IngestBaseline.run(database, bodies, 2_000, Json.mapper());
        }
    }

    private static Result http(int batchSize, int clients, int seconds, String databaseUrl, int backlog, boolean sealed)
            throws Exception {
        return http(
                batchSize,
                clients,
                new Load(seconds, databaseUrl, backlog, sealed),
                Workspace.withSources(List.of(new SourceDeclaration("bench", WRITE_KEY))));
    }

    /** How long to send, to which store, with what backlog and sealing: what a measured run holds fixed. */
    record Load(int seconds, String databaseUrl, int backlog, boolean sealed) {}

    /** One measured run against a server started with {@code workspace}, whose source must have {@link #WRITE_KEY}. */
    static Result http(int batchSize, int clients, Load load, Workspace workspace) throws Exception {
        int seconds = load.seconds();
        String databaseUrl = load.databaseUrl();
        int backlog = load.backlog();
        boolean sealed = load.sealed();
        Path dir = Files.createTempDirectory("tandem-bench-ingest-");
        Map<String, String> settings = new HashMap<>();
        settings.put("port", "0");
        settings.put("data", dir.toString());
        settings.put("adminToken", "bench-admin-token-0000");
        if (databaseUrl != null) {
            // a database of its own for each run: one run's tokens and rows must not meet the next run's key store
            settings.put("databaseUrl", freshDatabase(databaseUrl));
        }
        settings.put("sealRawEvents", Boolean.toString(sealed));
        if (shareUnderLoad != null) {
            settings.put("processorShareUnderLoad", shareUnderLoad);
        }
        ServerConfig config = ServerConfig.resolve(settings, Map.of(), Map.of());
        try (Tandem tandem = Tandem.start(config, workspace, Clock.systemUTC())) {
            if (backlog > 0) {
                String sourceId =
                        tandem.sources().byWriteKey(WRITE_KEY).orElseThrow().id();
                InboxFixture.append(tandem.database(), sourceId, ProfileWorkload.newProfiles(backlog), 20_000);
            }
            BodyTemplate template = new BodyTemplate(batchSize);
            String auth =
                    "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            AtomicLong requestNumbers = new AtomicLong();
            long warmupEnd = System.nanoTime() + 3_000_000_000L;
            long end = warmupEnd + seconds * 1_000_000_000L;
            long[][] latencies = new long[clients][];
            int[] counts = new int[clients];
            CountDownLatch done = new CountDownLatch(clients);
            for (int c = 0; c < clients; c++) {
                int client = c;
                Thread.ofPlatform().daemon().start(() -> {
                    long[] mine = new long[1 << 16];
                    int n = 0;
                    try (KeepAliveConnection connection =
                            new KeepAliveConnection("127.0.0.1", tandem.port(), "/v1/batch", auth)) {
                        while (true) {
                            byte[] body = template.next(requestNumbers.incrementAndGet());
                            long start = System.nanoTime();
                            if (start > end) {
                                break;
                            }
                            int status = connection.post(body);
                            long finished = System.nanoTime();
                            if (status != 200) {
                                throw new IllegalStateException("server answered " + status);
                            }
                            if (start >= warmupEnd && finished <= end) {
                                if (n == mine.length) {
                                    mine = Arrays.copyOf(mine, n * 2);
                                }
                                mine[n++] = finished - start;
                            }
                        }
                    } catch (Exception e) {
                        System.err.println("client failed: " + e);
                    } finally {
                        latencies[client] = mine;
                        counts[client] = n;
                        done.countDown();
                    }
                });
            }
            done.await();
            long total = 0;
            for (int count : counts) {
                total += count;
            }
            long[] all = new long[(int) total];
            int at = 0;
            for (int c = 0; c < clients; c++) {
                System.arraycopy(latencies[c], 0, all, at, counts[c]);
                at += counts[c];
            }
            Arrays.sort(all);
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + tandem.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            double commits = metric(metrics, "tandem_inbox_commit_seconds_count");
            double commitSeconds = metric(metrics, "tandem_inbox_commit_seconds_sum");
            System.err.printf(
                    "  batch %d: %,.0f commits, mean commit %.2f ms, %.1f requests per commit%n",
                    batchSize,
                    commits,
                    1000 * commitSeconds / Math.max(1, commits),
                    requestNumbers.get() / Math.max(1, commits));
            long inboxed = tandem.inbox().latestSeq();
            System.err.printf(
                    "  batch %d: processor %,d events behind at the end%s%n",
                    batchSize,
                    inboxed - tandem.processor().status().cursor(),
                    backlog > 0 && inboxed == tandem.processor().status().cursor()
                            ? " (it caught up: the measurement overlapped processing only in part)"
                            : "");
            double requestsPerSecond = total / (double) seconds;
            return new Result(
                    requestsPerSecond * batchSize,
                    requestsPerSecond,
                    all.length == 0 ? 0 : all[(int) (all.length * 0.50)] / 1e6,
                    all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6);
        }
    }

    private static double metric(String scrape, String name) {
        return scrape.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    /** A new, empty database on the server {@code url} names, as a URL like it. */
    private static String freshDatabase(String url) throws java.sql.SQLException {
        String name = "tandem_bench_" + System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query));
    }
}
