package dev.tandem.cli;

import dev.tandem.server.ServerConfig;
import dev.tandem.server.ServerSettings;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem serve}: runs the server until it is stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Tandem server.",
        footerHeading = "%nSettings (tandem.yaml server.<key>, or the environment variable):%n")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (default 8080; TANDEM_PORT)")
    Integer port;

    @Option(names = "--data", description = "data directory of the embedded store (default ./tandem-data; TANDEM_DATA)")
    Path data;

    @Option(names = "--config", description = "workspace file (default ./tandem.yaml when it exists)")
    Path config;

    static boolean keepsRunning(String[] args) {
        return args.length > 0
                && (args[0].equals("serve") || args[0].equals("demo"))
                && !java.util.Arrays.asList(args).contains("--help")
                && !java.util.Arrays.asList(args).contains("-h");
    }

    @Override
    public Integer call() throws InterruptedException {
        Workspace workspace = workspace(config);
        Map<String, String> options = new HashMap<>();
        options.put("port", port == null ? null : port.toString());
        options.put("data", data == null ? null : data.toString());
        ServerConfig resolved = ServerConfig.resolve(options, System.getenv(), workspace.server());
        Tandem tandem = Tandem.start(resolved, workspace, Clock.systemUTC());
        System.out.println("Tandem is listening on http://localhost:" + tandem.port()
                + (resolved.databaseUrl() == null
                        ? " (embedded store in " + resolved.data().toAbsolutePath() + ")"
                        : " (PostgreSQL)"));
        printNewToken(tandem);
        awaitShutdown(tandem);
        return 0;
    }

    static Workspace workspace(Path config) {
        if (config != null) {
            return Workspace.load(config);
        }
        Path local = Path.of("tandem.yaml");
        return Files.exists(local) ? Workspace.load(local) : Workspace.empty();
    }

    static void printNewToken(Tandem tandem) {
        if (tandem.newAdminToken() != null) {
            System.out.println();
            System.out.println("Admin token (shown once, keep it safe): " + tandem.newAdminToken());
            System.out.println("Use it as 'Authorization: Bearer <token>' or export TANDEM_ADMIN_TOKEN for the CLI.");
            System.out.println();
        }
    }

    /** Blocks until SIGTERM or Ctrl-C, then stops the server cleanly: queued events are committed first. */
    static void awaitShutdown(Tandem tandem) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            tandem.close();
                            stopped.countDown();
                        },
                        "tandem-shutdown"));
        stopped.await();
    }

    /** The settings table for --help, generated from the one declaration of each setting. */
    static String settingsHelp() {
        StringBuilder help = new StringBuilder();
        ServerSettings.ALL.forEach(s -> help.append(s.describe()).append(System.lineSeparator()));
        return help.toString();
    }
}
