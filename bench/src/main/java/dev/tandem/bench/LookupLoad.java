package dev.tandem.bench;

import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Open-loop load on a running server at a fixed request rate: each request is due at its slot
 * and its latency counts from that slot, so a stall shows in the figures instead of slowing the
 * sender down (no coordinated omission). Runs the Profile API by random identifiers of every
 * type, and {@code /health} at the same rate as the floor of HTTP on this machine.
 */
final class LookupLoad {
    private static final String TOKEN = "bench-admin-token-0123456789";

    private LookupLoad() {}

    /** The server's settings for a benchmark store: its key store is the one beside {@code dir}. */
    static ServerConfig config(Path dir, String databaseUrl) {
        Map<String, String> settings = new HashMap<>(Map.of("port", "0", "data", dir.toString(), "adminToken", TOKEN));
        if (databaseUrl != null) {
            settings.put("databaseUrl", databaseUrl);
        }
        return ServerConfig.resolve(settings, Map.of(), Map.of());
    }

    static void run(Path dir, String databaseUrl, Path yaml, int customers, int rate, int seconds) throws Exception {
        ServerConfig config = config(dir, databaseUrl);
        try (Tandem tandem = Tandem.start(config, Workspace.load(yaml), Clock.systemUTC())) {
            String base = "http://localhost:" + tandem.port();
            SplittableRandom random = new SplittableRandom(11);
            String[] kinds = {
                "user_id:user-%d", "email:USER%d@Example.com", "anonymous_id:anon-%d", "email:user%d@example.com"
            };
            IntFunction<String> profile = i -> base + "/v1/profiles/"
                    + String.format(kinds[i % kinds.length], random.nextInt(customers)) + "/traits";
            System.out.printf(
                    "%nProfile API latency, open loop at %,d requests/s for %d s (after 3 s warm-up), %,d profiles%n",
                    rate, seconds, customers);
            Result health = load(i -> base + "/health", rate, seconds);
            Result lookups = load(profile, rate, seconds);
            System.out.printf(
                    "%-30s %8s %8s %8s %8s %8s %8s%n",
                    "endpoint", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors");
            health.print("GET /health (baseline)");
            lookups.print("GET /v1/profiles/{id}/traits");
            System.out.printf(
                    "target: Profile API p99 under 2 ms at %,d requests/s: %s%n",
                    rate, lookups.p(0.99) < 2.0 && lookups.errors == 0 ? "met" : "NOT met");
        }
    }

    record Result(double[] millis, int errors) {
        double p(double q) {
            return millis.length == 0
                    ? Double.NaN
                    : millis[Math.min(millis.length - 1, (int) Math.ceil(q * millis.length) - 1)];
        }

        void print(String what) {
            System.out.printf(
                    "%-30s %8.2f %8.2f %8.2f %8.2f %8.2f %8d%n",
                    what,
                    p(0.5),
                    p(0.9),
                    p(0.99),
                    p(0.999),
                    millis.length == 0 ? Double.NaN : millis[millis.length - 1],
                    errors);
        }
    }

    private static Result load(IntFunction<String> url, int rate, int seconds) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int warm = 3 * rate;
        int total = warm + seconds * rate;
        double[] latency = new double[total];
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        long start = System.nanoTime() + 50_000_000L;
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int n = i;
            HttpRequest request = HttpRequest.newBuilder(URI.create(url.apply(i)))
                    .header("Authorization", "Bearer " + TOKEN)
                    .GET()
                    .build();
            pool.execute(() -> {
                try {
                    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200 && n >= warm && errors.incrementAndGet() == 1) {
                        System.out.printf(
                                "first error: %d %s%n",
                                r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                } catch (Exception e) {
                    if (n >= warm) {
                        errors.incrementAndGet();
                    }
                }
                latency[n] = (System.nanoTime() - due) / 1e6;
            });
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        double[] measured = Arrays.copyOfRange(latency, warm, total);
        Arrays.sort(measured);
        return new Result(measured, errors.get());
    }
}
