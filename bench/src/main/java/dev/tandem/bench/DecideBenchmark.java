package dev.tandem.bench;

import dev.tandem.collect.InboxFixture;
import dev.tandem.process.ProcessorStatus;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./tandem bench decide [--store DIR]}: {@code POST /v1/decide} latency with a million profiles, a
 * placement of 50 rules (most reading traits, computed traits and audiences, so every request
 * evaluates them) and an experiment. The store is built in this JVM; then the server runs in its
 * own process and wrk (Debian package) loads it from a third, each of C connections pausing
 * between requests so that together they send about the asked rate. {@code GET /health} at the
 * same settings is the floor of HTTP on this machine. {@code --store} reuses a store an earlier run built.
 * It calls as a {@code decide:explain} token (the admin token): the full decision with its reasons,
 * for user ids without signing a token per request, and not limited by a write key's rate.
 */
public final class DecideBenchmark {
    private static final String TOKEN = "bench-admin-token-0123456789";
    private static final String WRITE_KEY = "wk_bench_decide_0001";

    private DecideBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Options.parse(
                args,
                Map.of(
                        "profiles",
                        "1000000",
                        "rules",
                        "50",
                        "rate",
                        "2000",
                        "seconds",
                        "30",
                        "connections",
                        "6",
                        "pause",
                        "2",
                        "port",
                        "8096",
                        "warmup",
                        "30",
                        "store",
                        ""));
        int profiles = Integer.parseInt(o.get("profiles"));
        int rules = Integer.parseInt(o.get("rules"));
        int rate = Integer.parseInt(o.get("rate"));
        int connections = Integer.parseInt(o.get("connections"));
        int pause = Integer.parseInt(o.get("pause"));
        int port = Integer.parseInt(o.get("port"));
        Path dir = o.get("store").isEmpty()
                ? Files.createTempDirectory("tandem-bench-decide-")
                : Files.createDirectories(Path.of(o.get("store")));
        serverJar(); // before the build: found missing only after it, the minutes of building are lost
        Path yaml = dir.resolve("tandem.yaml");
        // a --store built by an earlier run is served again; an empty or new one is built first, and kept
        boolean reuse = Files.exists(yaml);
        System.out.printf(
                "Decide benchmark: %,d profiles, %d rules and an experiment, %d wrk connections pausing %d ms; store %s%n",
                profiles, rules, connections, pause, dir);
        if (!reuse) {
            Files.writeString(yaml, workspace(rules));
            build(dir, yaml, profiles);
        }

        Path script = dir.resolve("decide.lua");
        Files.writeString(script, lua(profiles, pause));
        Path health = dir.resolve("health.lua");
        Files.writeString(health, "delay = function() return " + pause + " end\n");
        Process server = serve(dir, yaml, port);
        try {
            String url = "http://localhost:" + port;
            awaitHealthy(url);
            int warmup = Integer.parseInt(o.get("warmup"));
            wrk(health, url + "/health", connections, warmup);
            wrk(script, url + "/v1/decide", connections, warmup);
            Wrk floor = wrk(health, url + "/health", connections, Integer.parseInt(o.get("seconds")));
            Wrk decide = wrk(script, url + "/v1/decide", connections, Integer.parseInt(o.get("seconds")));
            System.out.println();
            System.out.printf(
                    "%-34s %10s %8s %8s %8s %8s%n", "endpoint", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors");
            floor.print("GET /health (floor)");
            decide.print("POST /v1/decide (" + rules + " rules)");
            System.out.printf(
                    "target: decide p99 under 5 ms at %,d requests/s: %s%n",
                    rate,
                    decide.p99 < 5 && decide.rate >= 0.95 * rate && decide.errors == 0
                            ? "met"
                            : "NOT met, or not at that rate: change --connections (each sends about 1000 / (pause + latency) requests/s)");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** The workspace: computed traits, five audiences, and the placement under test. */
    static String workspace(int rules) {
        StringBuilder y = new StringBuilder(ProfileBenchmark.WORKSPACE);
        y.append("sources:\n  - name: web\n    writeKey: ").append(WRITE_KEY).append('\n');
        y.append("audiences:\n");
        for (int i = 0; i < 5; i++) {
            y.append("  - {key: spend_")
                    .append(i)
                    .append(", name: Spend ")
                    .append(i)
                    .append(", owners: [bench], condition: 'computed.revenue >= ")
                    .append(50 * (i + 1))
                    .append("'}\n");
        }
        y.append("placements:\n  - key: home_hero\n    owners: [bench]\n    rules:\n");
        for (int i = 0; i < rules; i++) {
            String when = switch (i % 5) {
                case 0 -> "\"spend_" + (4 - i % 5) + "\" in audiences && traits.plan == \"platinum\"";
                case 1 -> "computed.revenue > " + (100_000 + i);
                case 2 -> "has(context.page) && context.page.path == \"/campaign/" + i + "\"";
                case 3 -> "computed.favourite_category == \"nope" + i + "\"";
                default -> "traits.plan == \"tier" + i + "\" && event_count > 3";
            };
            y.append("      - {when: '")
                    .append(when)
                    .append("', variant: v")
                    .append(i)
                    .append(", content: {headline: Offer ")
                    .append(i)
                    .append("}}\n");
        }
        y.append("    default: {variant: generic, content: {headline: New season}}\n");
        y.append("    experiment:\n      key: hero_test\n      goal: Order Completed\n      variants:\n");
        y.append(
                "        - {key: control, weight: 50, control: true}\n        - {key: bold, weight: 50, content: {headline: Bold}}\n");
        return y.toString();
    }

    /** Builds the profiles and their audiences with a server in this JVM, then stops it. */
    private static void build(Path dir, Path yaml, int profiles) throws Exception {
        ServerConfig config = ServerConfig.resolve(
                Map.of("port", "0", "data", dir.toString(), "adminToken", TOKEN), Map.of(), Map.of());
        try (Tandem tandem = Tandem.start(config, Workspace.load(yaml), Clock.systemUTC())) {
            String source = tandem.sources().list().get(0).id();
            long t0 = System.nanoTime();
            InboxFixture.append(tandem.database(), source, ProfileWorkload.newProfiles(profiles), 20_000);
            InboxFixture.append(tandem.database(), source, ProfileWorkload.traffic(profiles, profiles / 4, 3), 20_000);
            long shown = t0;
            while (tandem.processor().statusNow().lagEvents() > 0
                    || tandem.processor().status().state() == ProcessorStatus.State.FAILING) {
                Thread.sleep(500);
                if (System.nanoTime() - shown > 5_000_000_000L) {
                    System.out.printf(
                            "  building: %,d events left%n",
                            tandem.processor().statusNow().lagEvents());
                    shown = System.nanoTime();
                }
            }
            System.out.printf("  built %,d profiles in %.0f s%n", profiles, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static String lua(int profiles, int delayMillis) {
        return """
                -- POST /v1/decide for random customers (4 in 5 known by user id, 1 in 5 an unknown visitor)
                math.randomseed(5)
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                request = function()
                  local body
                  if math.random(1, 5) == 1 then
                    body = string.format('{"placement":"home_hero","anonymousId":"new-%%d","context":{"page":{"path":"/"}}}', math.random(1, 100000000))
                  else
                    body = string.format('{"placement":"home_hero","userId":"user-%%d","context":{"page":{"path":"/"}}}', math.random(0, %d))
                  end
                  return wrk.format(nil, nil, nil, body)
                end
                delay = function() return %d end
                """.formatted(TOKEN, profiles - 1, delayMillis);
    }

    /** The server's jar beside this one in the checkout (bench/target/bench.jar, app/target/tandem-all.jar). */
    private static Path serverJar() {
        Path bench = Path.of(DecideBenchmark.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .toAbsolutePath();
        Path checkout = bench.getParent() == null || bench.getParent().getParent() == null
                ? null
                : bench.getParent().getParent().getParent();
        Path jar = checkout == null ? null : checkout.resolve("app/target/tandem-all.jar");
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("bench decide serves Tandem from app/target/tandem-all.jar beside " + bench
                    + ", which is not there: run it as ./tandem bench decide from the checkout");
        }
        return jar;
    }

    private static Process serve(Path dir, Path yaml, int port) throws IOException {
        Path jar = serverJar();
        List<String> command =
                new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx2g"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--data",
                dir.toString(),
                "--config",
                yaml.toString(),
                "--port",
                Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        pb.environment().put("TANDEM_ADMIN_TOKEN", TOKEN);
        pb.environment().put("TANDEM_LOG_LEVEL", "WARN");
        return pb.start();
    }

    private static void awaitHealthy(String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            try {
                if (client.send(
                                        HttpRequest.newBuilder(URI.create(url + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("The server did not start within 60 s; see server.log in the store directory.");
    }

    record Wrk(double rate, double p50, double p90, double p99, long errors) {
        void print(String what) {
            System.out.printf("%-34s %,10.0f %8.2f %8.2f %8.2f %8d%n", what, rate, p50, p90, p99, errors);
        }
    }

    private static Wrk wrk(Path script, String url, int connections, int seconds) throws Exception {
        Process p = new ProcessBuilder(
                        "wrk",
                        "-t2",
                        "-c" + connections,
                        "-d" + seconds + "s",
                        "--latency",
                        "-s",
                        script.toString(),
                        url)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed (is the Debian package 'wrk' installed?):\n" + out);
        }
        long errors = 0;
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Wrk(
                number(out, "Requests/sec:\\s+([\\d.]+)"),
                millis(out, "50%"),
                millis(out, "90%"),
                millis(out, "99%"),
                errors);
    }

    private static double millis(String out, String percentile) {
        Matcher m = Pattern.compile(Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)")
                .matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " in wrk's output:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }
}
