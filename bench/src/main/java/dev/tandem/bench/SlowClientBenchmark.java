package dev.tandem.bench;

import dev.tandem.collect.SourceDeclaration;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tandem bench slow-clients}: {@code /health} latency and tracking calls while hundreds of
 * connections announce a 400 KB body to {@code /v1/batch} and send a byte every few seconds,
 * without credentials (the attack of issue 11), against the same measurement without them, in
 * the same run. Attackers whose body times out reconnect at once, so the pressure stays up.
 */
final class SlowClientBenchmark {
    private static final String WRITE_KEY = "wk_bench_slow";

    private SlowClientBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args, Map.of("connections", "300", "seconds", "30", "trickle", "5"));
        int connections = Integer.parseInt(o.get("connections"));
        int seconds = Integer.parseInt(o.get("seconds"));
        int trickleSeconds = Integer.parseInt(o.get("trickle"));
        Path dir = Files.createTempDirectory("tandem-bench-slow-");
        Map<String, String> settings = new HashMap<>();
        settings.put("port", "0");
        settings.put("data", dir.toString());
        settings.put("adminToken", "bench-admin-token-0000");
        ServerConfig config = ServerConfig.resolve(settings, Map.of(), Map.of());
        try (Tandem tandem = Tandem.start(
                config, Workspace.withSources(List.of(new SourceDeclaration("bench", WRITE_KEY))), Clock.systemUTC())) {
            int port = tandem.port();
            System.out.printf("Baseline: no slow clients, %d s%n", seconds);
            Sample baseline = measure(port, seconds);
            System.out.printf(
                    "Under attack: %d connections, a byte every %d s each, %d s%n",
                    connections, trickleSeconds, seconds);
            Attack attack = new Attack(port, connections, trickleSeconds);
            Thread attacker = Thread.ofPlatform().daemon().start(attack::run);
            Thread.sleep(2_000);
            Sample attacked = measure(port, seconds);
            attack.stop();
            attacker.join(10_000);
            System.out.printf(
                    "%-14s %10s %10s %10s %12s %12s%n",
                    "", "health p50", "health p99", "health max", "track ok/all", "track p99");
            baseline.print("baseline");
            attacked.print("under attack");
            System.out.printf(
                    "slow connections opened %d, closed by the server %d (408 or 503)%n", attack.opened, attack.closed);
        }
    }

    private record Sample(long[] healthNanos, long[] trackNanos, int trackOk, int trackAll) {
        void print(String name) {
            System.out.printf(
                    "%-14s %8.1f ms %8.1f ms %8.1f ms %6d/%-5d %9.1f ms%n",
                    name,
                    ms(pct(healthNanos, 50)),
                    ms(pct(healthNanos, 99)),
                    ms(pct(healthNanos, 100)),
                    trackOk,
                    trackAll,
                    ms(pct(trackNanos, 99)));
        }
    }

    /** /health ten times a second and a track call every 100 ms, from separate connections. */
    private static Sample measure(int port, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        String auth = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        List<Long> health = new ArrayList<>();
        List<Long> track = new ArrayList<>();
        int ok = 0;
        int all = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int i = 0; System.nanoTime() < end; i++) {
            long start = System.nanoTime();
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                health.add(System.nanoTime() - start);
            } catch (IOException e) {
                health.add(30_000_000_000L);
            }
            start = System.nanoTime();
            all++;
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/track"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", auth)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"userId\":\"u" + i + "\",\"event\":\"Bench\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                ok += r.statusCode() == 200 ? 1 : 0;
            } catch (IOException e) {
                // counted as not ok
            }
            track.add(System.nanoTime() - start);
            Thread.sleep(100);
        }
        return new Sample(
                health.stream().mapToLong(Long::longValue).toArray(),
                track.stream().mapToLong(Long::longValue).toArray(),
                ok,
                all);
    }

    /** Keeps {@code connections} slow bodies open, each sent a byte every {@code trickleSeconds}; reopens what the server closes. */
    private static final class Attack {
        private final int port;
        private final Socket[] sockets;
        private final int trickleSeconds;
        private volatile boolean running = true;
        int opened;
        int closed;

        Attack(int port, int connections, int trickleSeconds) {
            this.port = port;
            this.sockets = new Socket[connections];
            this.trickleSeconds = trickleSeconds;
        }

        void run() {
            while (running) {
                for (int i = 0; i < sockets.length && running; i++) {
                    try {
                        if (sockets[i] == null) {
                            sockets[i] = open();
                            opened++;
                        }
                        OutputStream out = sockets[i].getOutputStream();
                        out.write(' ');
                        out.flush();
                    } catch (IOException e) {
                        closed++;
                        close(sockets[i]);
                        sockets[i] = null;
                    }
                }
                try {
                    Thread.sleep(trickleSeconds * 1_000L);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Arrays.stream(sockets).forEach(Attack::close);
        }

        void stop() {
            running = false;
        }

        private Socket open() throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.getOutputStream()
                    .write(("POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 400000\r\n\r\n{\"batch\":[")
                            .getBytes(StandardCharsets.US_ASCII));
            return socket;
        }

        private static void close(Socket socket) {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private static long pct(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0
                ? 0
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
