package dev.tandem.cli;

import picocli.CommandLine.Option;

/** Where the server is and how to authenticate, shared by the commands that call its admin API. */
final class ServerOptions {
    @Option(
            names = "--server",
            defaultValue = "http://localhost:8080",
            description = "Tandem server URL (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--token", description = "admin token (default: $TANDEM_ADMIN_TOKEN)")
    String token;

    AdminClient client() {
        return new AdminClient(server, token != null ? token : System.getenv("TANDEM_ADMIN_TOKEN"));
    }
}
