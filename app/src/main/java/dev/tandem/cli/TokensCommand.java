package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem tokens create|list|delete}: API tokens with scopes, such as read access to profiles. */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = "Create, list or delete API tokens (for example for the Profile API).",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Delete.class})
final class TokensCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a token; it is printed once, keep it.")
    static final class Create implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(
                names = "--name",
                required = true,
                description = "a name saying who uses it, such as website-personalization")
        String name;

        @Option(
                names = "--scope",
                required = true,
                split = ",",
                description =
                        "scopes: profiles:read, audiences:read, experiments:read, decide:explain, audit:read, feed:read, changes:read, changes:write")
        List<String> scopes;

        @Option(names = "--role", description = "who reads: marketer, steward, technologist, analyst or admin")
        String role;

        @Option(
                names = "--purpose",
                split = ",",
                description = "why they read, such as personalization; without one, personal data is masked")
        List<String> purposes = List.of();

        @Override
        public void run() {
            AdminClient client = server.client();
            var body = client.mapper().createObjectNode().put("name", name);
            scopes.forEach(body.putArray("scopes")::add);
            purposes.forEach(body.putArray("purposes")::add);
            if (role != null) {
                body.put("role", role);
            }
            JsonNode created = client.post("/v1/admin/tokens", body.toString());
            System.out.println("Token '" + name + "' (" + String.join(", ", scopes)
                    + (purposes.isEmpty()
                            ? "; no purpose: personal data masked"
                            : "; purposes " + String.join(", ", purposes))
                    + "): " + created.path("token").asText());
            System.out.println("It is shown only now; store it where its user can read it.");
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List tokens by name and scope (never the tokens themselves).")
    static final class ListTokens implements Runnable {
        @Mixin
        ServerOptions server;

        @Override
        public void run() {
            System.out.printf("%-32s %-20s %s%n", "NAME", "SCOPES", "CREATED");
            for (JsonNode t : server.client().get("/v1/admin/tokens").path("tokens")) {
                StringBuilder scopes = new StringBuilder();
                t.path("scopes")
                        .forEach(s -> scopes.append(scopes.isEmpty() ? "" : ",").append(s.asText()));
                System.out.printf(
                        "%-32s %-20s %s%n",
                        t.path("name").asText(), scopes, t.path("createdAt").asText());
            }
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a token; its user is refused from then on.")
    static final class Delete implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--name", required = true)
        String name;

        @Override
        public void run() {
            server.client().delete("/v1/admin/tokens/" + name);
            System.out.println("Token '" + name + "' deleted.");
        }
    }
}
