package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.config.ConfigException;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start-up that fails at any module closes exactly what was started: no thread it began keeps
 * running (the inbox writer's is not a daemon: it would keep the JVM alive) and no file under the
 * data directory stays open.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class StartupFailureTest {
    /** Threads of the JVM, the test runner and the drivers that live on by design, whatever Tandem does. */
    private static final List<String> NOT_OURS = List.of(
            "ForkJoinPool",
            "Common-Cleaner",
            "process reaper",
            "Attach Listener",
            "surefire",
            "awaitility",
            "PostgreSQL-JDBC-Cleaner",
            "HttpClient",
            "Finalizer",
            "Reference Handler",
            "Signal Dispatcher",
            "Notification Thread");

    private final StoreKind store;
    private final String databaseUrl;

    @TempDir
    Path dir;

    StartupFailureTest(StoreKind store) {
        this.store = store;
        this.databaseUrl = store == StoreKind.POSTGRESQL ? Postgres.freshDatabaseUrl() : null;
    }

    @Test
    void aKeyStoreThatCannotOpenFailsInProtection() throws IOException {
        Files.writeString(dir.resolve("not-a-directory"), "x");
        Map<String, String> settings = settings();
        settings.put("keyStore", dir.resolve("not-a-directory").toString());
        assertLeavesNothingBehind(() -> Tandem.start(config(settings), Workspace.empty(), Clock.systemUTC()));
    }

    @Test
    void aSourceWhoseWriteKeyIsTakenFailsInCollection() {
        try (Tandem first = Tandem.start(config(settings()), Workspace.empty(), Clock.systemUTC())) {
            first.sources().create(new dev.tandem.collect.SourceDeclaration("api-made", "wk_taken_0000000001"));
        }
        Workspace workspace = Workspace.withSources(
                List.of(new dev.tandem.collect.SourceDeclaration("yaml-made", "wk_taken_0000000001")));
        assertLeavesNothingBehind(
                () -> Tandem.start(config(settings()), workspace, Clock.systemUTC()), "tandem.yaml sources");
    }

    @Test
    void aForeignKeyStoreFailsAfterIdentity() throws IOException {
        try (Tandem first = Tandem.start(config(settings()), Workspace.empty(), Clock.systemUTC())) {
            assertThat(first.port()).isPositive();
        }
        Map<String, String> other = settings();
        other.put("data", dir.resolve("other").toString());
        other.put("keyStore", dir.resolve("other-keys").toString());
        other.remove("databaseUrl");
        try (Tandem second = Tandem.start(config(other), Workspace.empty(), Clock.systemUTC())) {
            assertThat(second.port()).isPositive();
        }
        // the other installation's whole key store, which opens but holds none of this data's keys
        try (Stream<Path> files = Files.list(dir.resolve("other-keys"))) {
            for (Path file : files.toList()) {
                Files.copy(
                        file,
                        dir.resolve("keys").resolve(file.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertLeavesNothingBehind(
                () -> Tandem.start(config(settings()), Workspace.empty(), Clock.systemUTC()), "keyStore");
    }

    @Test
    void aBadAudienceInTandemYamlFailsInAudiencesAndLeavesNoThreadRunning() throws IOException {
        try (Tandem first = Tandem.start(config(settings()), Workspace.empty(), Clock.systemUTC())) {
            var http = new dev.tandem.testing.Http("http://localhost:" + first.port());
            assertThat(http.post(
                                    "/v1/admin/audiences",
                                    """
                    {"key": "vip", "name": "VIP", "owners": ["marketing"], "condition": "computed.spent > 100"}""",
                                    "Authorization",
                                    "Bearer " + TestServer.ADMIN_TOKEN,
                                    "Content-Type",
                                    "application/json")
                            .status())
                    .isEqualTo(201);
        }
        Path yaml = dir.resolve("tandem.yaml");
        Files.writeString(yaml, """
                audiences:
                  - key: vip
                    name: VIP
                    owners: [marketing]
                    condition: traits.plan == "pro"
                """);
        Workspace workspace = Workspace.load(yaml);
        assertLeavesNothingBehind(
                () -> Tandem.start(config(settings()), workspace, Clock.systemUTC()), "tandem.yaml audiences");
    }

    @Test
    void aPortInUseFailsAfterEveryModuleIsWired() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Map<String, String> settings = settings();
            settings.put("port", Integer.toString(taken.getLocalPort()));
            assertLeavesNothingBehind(
                    () -> Tandem.start(config(settings), Workspace.empty(), Clock.systemUTC()), "is in use");
        }
    }

    @Test
    void aFailingExtraModuleClosesEveryBuiltInOne() {
        Module failing = new Module() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public void wire(Wiring wiring) {
                throw new ConfigException("the failing module refuses to start");
            }
        };
        assertLeavesNothingBehind(
                () -> Tandem.start(config(settings()), Workspace.empty(), Clock.systemUTC(), List.of(failing)),
                "the failing module refuses to start");
    }

    private void assertLeavesNothingBehind(Runnable start, String... messageParts) {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        var refused = assertThatThrownBy(start::run).isInstanceOf(RuntimeException.class);
        for (String part : messageParts) {
            refused.hasMessageContaining(part);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    assertThat(startedSince(before))
                            .as("threads started by the failed start-up and still running")
                            .isEmpty();
                    assertThat(openFilesUnder(dir))
                            .as("files under the data directory still open")
                            .isEmpty();
                });
    }

    private static List<String> startedSince(Set<Thread> before) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t) && NOT_OURS.stream().noneMatch(t.getName()::startsWith)) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static List<String> openFilesUnder(Path dir) throws IOException {
        List<String> open = new ArrayList<>();
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(real)) {
                        open.add(target.toString());
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return open;
    }

    private Map<String, String> settings() {
        Map<String, String> values = new HashMap<>();
        values.put("port", "0");
        values.put("data", dir.resolve("data").toString());
        values.put("keyStore", dir.resolve("keys").toString());
        values.put("adminToken", TestServer.ADMIN_TOKEN);
        values.put("diskReserveMb", "1");
        if (databaseUrl != null) {
            values.put("databaseUrl", databaseUrl);
        }
        return values;
    }

    private static ServerConfig config(Map<String, String> settings) {
        return ServerConfig.resolve(settings, Map.of(), Map.of());
    }
}
