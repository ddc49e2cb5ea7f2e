package dev.tandem.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tandem serve} in a JVM of its own, for the tests that kill it with -9: started from the
 * test class path on {@code port}, with its data in {@code dir/data} and its log in {@code dir}, and
 * returned once {@code /ready} answers 200.
 */
public final class ServerProcess {
    private ServerProcess() {}

    /** @param databaseUrl PostgreSQL's JDBC URL, or null for the embedded store */
    public static Process start(Path dir, int port, Path workspace, String databaseUrl, String adminToken)
            throws IOException {
        return start(dir, port, workspace, databaseUrl, adminToken, Map.of(), List.of());
    }

    /**
     * @param env     more environment variables for the server ({@code TANDEM_*} settings)
     * @param jvmArgs options for its JVM, before the main class ({@code -Dname=value})
     */
    public static Process start(
            Path dir,
            int port,
            Path workspace,
            String databaseUrl,
            String adminToken,
            Map<String, String> env,
            List<String> jvmArgs)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmArgs);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tandem.cli.Main",
                "serve",
                "--port",
                Integer.toString(port),
                "--data",
                dir.resolve("data").toString(),
                "--config",
                workspace.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("server-" + System.nanoTime() + ".log").toFile());
        builder.environment().put("TANDEM_ADMIN_TOKEN", adminToken);
        builder.environment().putAll(env);
        if (databaseUrl != null) {
            builder.environment().put("TANDEM_DATABASE_URL", databaseUrl);
        } else {
            builder.environment().remove("TANDEM_DATABASE_URL");
        }
        Process process = builder.start();
        Http http = new Http("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> http.get("/ready").status() == 200);
        return process;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
