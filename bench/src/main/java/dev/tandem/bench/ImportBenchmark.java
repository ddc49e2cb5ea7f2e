package dev.tandem.bench;

import dev.tandem.cli.Main;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.io.BufferedWriter;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code tandem import} of a CSV file against its baseline, in one run on one server: the same
 * rows as events built beforehand and POSTed to {@code /v1/batch} in batches of the same size on
 * as many connections. The ratio is what reading, mapping, the report and the state cost on top of
 * sending. Each side imports into its own source, so neither meets the other's messageIds; each
 * is warmed up first on a tenth of the rows, and each starts once the processor has caught up.
 *
 * <p>Options: {@code --rows 100000}, {@code --batch 500}, {@code --connections 4},
 * {@code --database-url URL} to measure PostgreSQL instead of SQLite.
 */
final class ImportBenchmark {
    private static final String[] SOURCES = {"warm-import", "warm-post", "import", "post"};

    private ImportBenchmark() {}

    static void main(String[] args) throws Exception {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("rows", "100000");
        defaults.put("batch", "500");
        defaults.put("connections", "4");
        defaults.put("database-url", null);
        Map<String, String> options = Options.parse(args, defaults);
        int rows = Integer.parseInt(options.get("rows"));
        int batch = Integer.parseInt(options.get("batch"));
        int connections = Integer.parseInt(options.get("connections"));
        Path dir = Files.createTempDirectory("tandem-bench-import-");
        Map<String, String> settings = new HashMap<>();
        settings.put("port", "0");
        settings.put("data", dir.resolve("data").toString());
        settings.put("adminToken", "bench-admin-token-0000");
        if (options.get("database-url") != null) {
            settings.put("databaseUrl", options.get("database-url"));
        }
        List<SourceDeclaration> sources = new ArrayList<>();
        for (String s : SOURCES) {
            sources.add(new SourceDeclaration(s, "wk_bench_" + s.replace('-', '_')));
        }
        Path mapping = Files.writeString(dir.resolve("orders.yaml"), """
                fields:
                  type: { value: track }
                  event: { value: Order Completed }
                  userId: customer
                  timestamp: { from: ordered, format: iso }
                  properties.revenue: { from: total, as: number }
                  properties.gift: { from: gift, as: boolean }
                  properties.sku: sku
                """);
        System.out.printf(
                "Import benchmark: %,d rows, batch %d, %d connections, %d cores, %s%n",
                rows,
                batch,
                connections,
                Runtime.getRuntime().availableProcessors(),
                options.get("database-url") == null ? "SQLite" : "PostgreSQL");
        try (Tandem tandem = Tandem.start(
                ServerConfig.resolve(settings, Map.of(), Map.of()),
                Workspace.withSources(sources),
                Clock.systemUTC())) {
            String url = "http://localhost:" + tandem.port();
            Path warmCsv = csv(dir.resolve("warm.csv"), rows / 10);
            Path csv = csv(dir.resolve("orders.csv"), rows);
            imported(url, warmCsv, mapping, "warm-import", batch, connections);
            posted(url, rows / 10, "warm-post", batch, connections);
            drained(tandem);
            double post = posted(url, rows, "post", batch, connections);
            drained(tandem);
            double imported = imported(url, csv, mapping, "import", batch, connections);
            System.out.printf("%nPOST of pre-built events (baseline): %,12.0f events/s%n", post);
            System.out.printf(
                    "tandem import of the CSV:            %,12.0f rows/s  (%.0f%% of the baseline)%n",
                    imported, 100 * imported / post);
        }
    }

    /**
     * Waits until the processor has applied every stored event. Why: it works on the same cores
     * as the server, and the side measured second must not pay for the first one's backlog.
     */
    private static void drained(Tandem tandem) throws InterruptedException {
        while (tandem.processor().statusNow().lagEvents() > 0) {
            Thread.sleep(100);
        }
    }

    private static Path csv(Path file, int rows) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("customer,ordered,total,gift,sku\n");
            for (int i = 0; i < rows; i++) {
                out.write("c-" + (i % 20_000) + "," + timestamp(i) + "," + (i % 997) + ".5," + (i % 3 == 0) + ",SKU-"
                        + (i % 1_000) + "\n");
            }
        }
        return file;
    }

    private static String timestamp(int i) {
        return java.time.Instant.ofEpochSecond(1_714_000_000L + i).toString();
    }

    private static double imported(String url, Path csv, Path mapping, String source, int batch, int connections) {
        long start = System.nanoTime();
        int code = Main.commandLine()
                .execute(
                        "import",
                        csv.toString(),
                        "--source",
                        source,
                        "--mapping",
                        mapping.toString(),
                        "--server",
                        url,
                        "--write-key",
                        "wk_bench_" + source.replace('-', '_'),
                        "--batch",
                        Integer.toString(batch),
                        "--connections",
                        Integer.toString(connections));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("tandem import exited with " + code);
        }
        long rows;
        try (var lines = Files.lines(csv)) {
            rows = lines.count() - 1;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return rows / seconds;
    }

    /** The same rows as ready-made bodies, built before the clock starts, POSTed on {@code connections} threads. */
    private static double posted(String url, int rows, String source, int batch, int connections) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < rows; i += batch) {
            body.setLength(0);
            body.append("{\"batch\":[");
            for (int j = i; j < Math.min(rows, i + batch); j++) {
                body.append(j == i ? "" : ",")
                        .append("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"c-")
                        .append(j % 20_000)
                        .append("\",\"timestamp\":\"")
                        .append(timestamp(j))
                        .append("\",\"properties\":{\"revenue\":")
                        .append(j % 997)
                        .append(".5,\"gift\":")
                        .append(j % 3 == 0)
                        .append(",\"sku\":\"SKU-")
                        .append(j % 1_000)
                        .append("\"},\"messageId\":\"pre-")
                        .append(j)
                        .append("\"}");
            }
            bodies.add(body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
        String auth = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                ("wk_bench_" + source.replace('-', '_') + ":").getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (byte[] b : bodies) {
                sent.add(pool.submit(() -> http.send(
                                HttpRequest.newBuilder(URI.create(url + "/v1/batch"))
                                        .header("Authorization", auth)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(b))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode()));
            }
            for (Future<Integer> f : sent) {
                if (f.get() != 200) {
                    throw new IllegalStateException("the server answered " + f.get());
                }
            }
        } finally {
            pool.shutdown();
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }
}
