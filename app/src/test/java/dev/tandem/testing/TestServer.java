package dev.tandem.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.module.Module;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Tandem server on a free port, on SQLite in a temporary directory or on a fresh
 * PostgreSQL database, with one source ({@link #WRITE_KEY}) and a known admin token.
 */
public final class TestServer implements AutoCloseable {
    public static final String WRITE_KEY = "wk_test_source_1";
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    private final ServerConfig config;
    private Workspace workspace;
    private final Clock clock;
    private final List<Module> extra;
    private volatile Tandem tandem;
    private Http http;

    private TestServer(ServerConfig config, Workspace workspace, Clock clock) {
        this(config, workspace, clock, List.of());
    }

    private TestServer(ServerConfig config, Workspace workspace, Clock clock, List<Module> extra) {
        this.config = config;
        this.workspace = workspace;
        this.clock = clock;
        this.extra = extra;
        if (clock instanceof TestClock moved) {
            // the scheduler waits on the clock: a test that moves it has due jobs looked at once
            moved.onAdvance(() -> tandem.scheduler().wake());
        }
        start();
    }

    public static TestServer start(StoreKind store, Path dir) {
        return start(store, dir, Clock.systemUTC(), Map.of());
    }

    /** @param settings extra server settings by key, as in tandem.yaml's server block */
    public static TestServer start(StoreKind store, Path dir, Clock clock, Map<String, String> settings) {
        return start(store, dir, clock, settings, List.of());
    }

    /** As {@link #start(StoreKind, Path, Clock, Map)}, with {@code extra} modules composed after the built-in ones. */
    public static TestServer start(
            StoreKind store, Path dir, Clock clock, Map<String, String> settings, List<Module> extra) {
        Map<String, String> values = new HashMap<>(settings);
        values.put("port", "0");
        values.put("data", dir.toString());
        values.putIfAbsent("keyStore", dir.resolve("keys").toString());
        values.put("adminToken", ADMIN_TOKEN);
        values.putIfAbsent("diskReserveMb", "1");
        if (store == StoreKind.POSTGRESQL) {
            // a database given in settings is shared, as by two servers on one PostgreSQL
            values.computeIfAbsent("databaseUrl", key -> Postgres.freshDatabaseUrl());
        }
        ServerConfig config = ServerConfig.resolve(values, Map.of(), Map.of());
        return new TestServer(
                config, Workspace.withSources(List.of(new SourceDeclaration("test", WRITE_KEY))), clock, extra);
    }

    /**
     * A server whose workspace is {@code yaml} (written to {@code dir/tandem.yaml} and loaded as
     * {@code tandem serve} would); the test source is added when the YAML declares no sources.
     */
    public static TestServer withWorkspace(StoreKind store, Path dir, String yaml) {
        return withWorkspace(store, dir, yaml, List.of());
    }

    /** As {@link #withWorkspace(StoreKind, Path, String)}, with {@code extra} modules composed after the built-in ones. */
    public static TestServer withWorkspace(StoreKind store, Path dir, String yaml, List<Module> extra) {
        return withWorkspace(store, dir, yaml, Clock.systemUTC(), extra);
    }

    /** As {@link #withWorkspace(StoreKind, Path, String)}, on {@code clock} (a {@link TestClock} to move time). */
    public static TestServer withWorkspace(StoreKind store, Path dir, String yaml, Clock clock) {
        return withWorkspace(store, dir, yaml, clock, List.of());
    }

    private static TestServer withWorkspace(StoreKind store, Path dir, String yaml, Clock clock, List<Module> extra) {
        try {
            Path file = dir.resolve("tandem.yaml");
            String text = yaml.contains("sources:")
                    ? yaml
                    : yaml + "\nsources:\n  - name: test\n    writeKey: " + WRITE_KEY + "\n";
            java.nio.file.Files.writeString(file, text);
            Workspace workspace = Workspace.load(file);
            Map<String, String> values = new HashMap<>();
            values.put("port", "0");
            values.put("data", dir.resolve("data").toString());
            values.put("adminToken", ADMIN_TOKEN);
            values.put("diskReserveMb", "1");
            if (store == StoreKind.POSTGRESQL) {
                values.put("databaseUrl", Postgres.freshDatabaseUrl());
            }
            // the YAML's server block counts, as with tandem serve (values above win, as the command line does)
            return new TestServer(ServerConfig.resolve(values, Map.of(), workspace.server()), workspace, clock, extra);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until the processor has applied every stored event. */
    public void awaitProcessed() {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() ->
                        admin("/v1/admin/processor").json().path("lagEvents").asLong() == 0);
    }

    /** Waits until a replay asked for has run through every stored event and the processor runs again. */
    public void awaitReplayed() {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    JsonNode s = admin("/v1/admin/processor").json();
                    return s.path("state").asText().equals("running")
                            && s.path("lagEvents").asLong() == 0;
                });
    }

    /** A Profile API read with the admin token, such as {@code profile("email:ann@example.com", "traits")}. */
    public Http.Response profile(String identifier, String what) {
        return admin("/v1/profiles/" + identifier + "/" + what);
    }

    /** Stops, writes {@code yaml} as the workspace file (an edit of tandem.yaml) and starts again on the same store. */
    public void restartWith(Path file, String yaml) {
        tandem.close();
        try {
            java.nio.file.Files.writeString(file, yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        workspace = Workspace.load(file);
        start();
    }

    /** Stops and starts again on the same store and port 0 (a new port). */
    public void restart() {
        tandem.close();
        start();
    }

    private void start() {
        tandem = Tandem.start(config, workspace, clock, extra);
        http = new Http("http://localhost:" + tandem.port());
    }

    public Http http() {
        return http;
    }

    public String url() {
        return "http://localhost:" + tandem.port();
    }

    public Tandem tandem() {
        return tandem;
    }

    public ServerConfig config() {
        return config;
    }

    /** Tracking call with the test source's write key. */
    public Http.Response track(String path, String json, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = Http.basic(WRITE_KEY);
        all[2] = "Content-Type";
        all[3] = "application/json";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return http.post(path, json, all);
    }

    /** GET with the admin token. */
    public Http.Response admin(String path) {
        return http.get(path, "Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** A request with the admin token and a JSON body (or none): {@code adminSend("PUT", "/v1/admin/...", json)}. */
    public Http.Response adminSend(String method, String path, String json) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + path))
                .method(
                        method,
                        json == null
                                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        return http.send(request, "Authorization", "Bearer " + ADMIN_TOKEN, "Content-Type", "application/json");
    }

    /** Every stored event, all pages. */
    public List<JsonNode> events() {
        List<JsonNode> all = new ArrayList<>();
        String after = "";
        while (true) {
            JsonNode page = admin("/v1/events?limit=1000" + (after.isEmpty() ? "" : "&after=" + after))
                    .json();
            page.path("events").forEach(all::add);
            if (page.path("events").size() < 1000) {
                return all;
            }
            after = page.path("next").asText();
        }
    }

    @Override
    public void close() {
        tandem.close();
    }
}
