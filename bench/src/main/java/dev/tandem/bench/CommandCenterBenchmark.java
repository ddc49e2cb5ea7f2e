package dev.tandem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.collect.InboxFixture;
import dev.tandem.config.Json;
import dev.tandem.process.ProcessorStatus;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code ./tandem bench command-center [--profiles 1000000] [--store DIR]}: the console's command
 * center with a million profiles stored. The store (an identify per customer, a quarter as many
 * events of traffic, NPS answers per touchpoint, two audiences) is built with a server in this JVM;
 * the server is then started again on it, an admin signs in, and the benchmark times the first
 * {@code GET /} after start, then warm loads of {@code /} and of {@code /console/panels} (what htmx
 * polls every 5 s), one at a time as one person's browser does. {@code --store} reuses a store an
 * earlier run built (its path is printed first).
 */
public final class CommandCenterBenchmark {
    private static final String TOKEN = "bench-admin-token-0123456789";
    private static final String WRITE_KEY = "wk_bench_command_0001";
    private static final String PASSWORD = "correct horse battery staple";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** What {@code /console/panels} asks the API, for an admin (console.CommandCenter). */
    private static final String[] PANEL_CALLS = {
        "/v1/changes?status=pending",
        "/v1/kpis",
        "/v1/perception-gap",
        "/v1/destinations",
        "/v1/feed?limit=8",
        "/opendsr/requests",
        "/metrics"
    };

    private CommandCenterBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o =
                Options.parse(args, Map.of("profiles", "1000000", "loads", "50", "refreshes", "200", "store", ""));
        int profiles = Integer.parseInt(o.get("profiles"));
        boolean reuse = !o.get("store").isEmpty();
        Path dir = reuse ? Path.of(o.get("store")) : Files.createTempDirectory("tandem-bench-command-");
        Path yaml = dir.resolve("tandem.yaml");
        System.out.printf("Command center benchmark: %,d profiles; store %s%n", profiles, dir);
        if (!reuse) {
            Files.writeString(yaml, workspace());
            build(dir, yaml, profiles);
        }
        ServerConfig config = ServerConfig.resolve(
                Map.of("port", "0", "data", dir.toString(), "adminToken", TOKEN), Map.of(), Map.of());
        try (Tandem tandem = Tandem.start(config, Workspace.load(yaml), Clock.systemUTC())) {
            String url = "http://127.0.0.1:" + tandem.port();
            String cookie = signIn(url, reuse);
            double first = millis(url + "/", cookie);
            double[] loads = times(url + "/", cookie, Integer.parseInt(o.get("loads")));
            double[] refreshes = times(url + "/console/panels", cookie, Integer.parseInt(o.get("refreshes")));
            System.out.println();
            System.out.printf(
                    "%-40s %8s %8s %8s %8s%n", "request (an admin, every panel)", "p50 ms", "p95 ms", "max ms", "n");
            System.out.printf("%-40s %8.1f %8s %8s %8d%n", "GET / first after start", first, "", "", 1);
            print("GET / (first load), warm", loads);
            print("GET /console/panels (refresh), warm", refreshes);
            System.out.println("where a refresh goes: each API call the panels make, alone, warm");
            for (String path : PANEL_CALLS) {
                print("  GET " + path, times(url + path, cookie, 50));
            }
            System.out.printf(
                    "targets: first load under 1 s: %s; each refresh under 200 ms: %s%n",
                    first < 1000 && percentile(loads, 95) < 1000 ? "met" : "NOT met",
                    refreshes[refreshes.length - 1] < 200
                            ? "met"
                            : "NOT met (max " + Math.round(refreshes[refreshes.length - 1]) + " ms)");
        }
    }

    static String workspace() {
        return ProfileBenchmark.WORKSPACE + "sources:\n  - name: web\n    writeKey: " + WRITE_KEY + "\n" + """
                audiences:
                  - {key: spenders, name: Spenders, owners: [marketing], condition: 'computed.revenue >= 100'}
                  - {key: buyers, name: Buyers, owners: [marketing], condition: 'computed.orders_30d > 0'}
                kpis:
                  - key: nps
                    name: Likelihood to recommend
                    owners: [marketing, it]
                    type: nps
                    events: "event == 'Survey Answered' && properties.survey == 'nps'"
                    value: "properties.score"
                    by: { touchpoint: "properties.touchpoint" }
                    target: 40
                """;
    }

    /** Builds the profiles, their traffic and survey answers with a server in this JVM, then stops it. */
    private static void build(Path dir, Path yaml, int profiles) throws Exception {
        ServerConfig config = ServerConfig.resolve(
                Map.of("port", "0", "data", dir.toString(), "adminToken", TOKEN), Map.of(), Map.of());
        try (Tandem tandem = Tandem.start(config, Workspace.load(yaml), Clock.systemUTC())) {
            String source = tandem.sources().list().get(0).id();
            long t0 = System.nanoTime();
            InboxFixture.append(tandem.database(), source, ProfileWorkload.newProfiles(profiles), 20_000);
            InboxFixture.append(tandem.database(), source, ProfileWorkload.traffic(profiles, profiles / 4, 3), 20_000);
            InboxFixture.append(tandem.database(), source, surveys(profiles, 20_000), 20_000);
            long shown = t0;
            while (tandem.processor().statusNow().lagEvents() > 0
                    || tandem.processor().status().state() == ProcessorStatus.State.FAILING) {
                Thread.sleep(500);
                if (System.nanoTime() - shown > 10_000_000_000L) {
                    System.out.printf(
                            "  building: %,d events left%n",
                            tandem.processor().statusNow().lagEvents());
                    shown = System.nanoTime();
                }
            }
            System.out.printf("  built %,d profiles in %.0f s%n", profiles, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** NPS answers of random customers over the last 20 days, on five touchpoints. */
    private static Iterator<String> surveys(int customers, int answers) {
        String[] touchpoints = {"checkout", "delivery", "support", "app", "store"};
        Instant now = Instant.now();
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        return IntStream.range(0, answers)
                .mapToObj(n -> {
                    String at = now.minusSeconds(86_400L * 20 * n / answers).toString();
                    return "{\"type\":\"track\",\"messageId\":\"s-" + n + "\",\"userId\":\"user-"
                            + random.nextInt(customers)
                            + "\",\"event\":\"Survey Answered\",\"properties\":{\"survey\":\"nps\",\"score\":"
                            + random.nextInt(11) + ",\"touchpoint\":\"" + touchpoints[n % 5] + "\"},\"timestamp\":\""
                            + at
                            + "\",\"receivedAt\":\"" + at + "\"}";
                })
                .iterator();
    }

    /** An admin, "bench", signed in (made on the first run of a store); the session cookie. */
    private static String signIn(String url, boolean reuse) throws Exception {
        if (!reuse || send(url, "POST", "/v1/session", login(), null).statusCode() != 201) {
            JsonNode made = Json.mapper()
                    .readTree(send(
                                    url,
                                    "POST",
                                    "/v1/admin/people",
                                    "{\"name\": \"bench\", \"team\": \"it\", \"role\": \"admin\"}",
                                    TOKEN)
                            .body());
            send(
                    url,
                    "POST",
                    "/v1/people/password",
                    "{\"link\": \"" + made.path("link").asText() + "\", \"password\": \"" + PASSWORD + "\"}",
                    null);
            send(
                    url,
                    "POST",
                    "/v1/kpis/nps/beliefs",
                    "{\"by\": {\"touchpoint\": \"delivery\"}, \"value\": 60, \"team\": \"marketing\"}",
                    TOKEN);
        }
        HttpResponse<String> in = send(url, "POST", "/v1/session", login(), null);
        if (in.statusCode() != 201) {
            throw new IllegalStateException("Signing in failed: " + in.body());
        }
        String cookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static String login() {
        return "{\"name\": \"bench\", \"password\": \"" + PASSWORD + "\"}";
    }

    private static HttpResponse<String> send(String url, String method, String path, String json, String token)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double millis(String url, String cookie) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = CLIENT.send(
                HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return ms;
    }

    private static double[] times(String url, String cookie, int n) throws Exception {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = millis(url, cookie);
        }
        Arrays.sort(out);
        return out;
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }

    private static void print(String what, double[] sorted) {
        System.out.printf(
                "%-40s %8.1f %8.1f %8.1f %8d%n",
                what, percentile(sorted, 50), percentile(sorted, 95), sorted[sorted.length - 1], sorted.length);
    }
}
