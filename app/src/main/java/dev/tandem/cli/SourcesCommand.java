package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem sources list|add}: the sources of a running server and their write keys. */
@Command(
        name = "sources",
        mixinStandardHelpOptions = true,
        description = "List or add sources (where events come from).",
        subcommands = {SourcesCommand.ListSources.class, SourcesCommand.AddSource.class})
final class SourcesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List sources with their write keys.")
    static final class ListSources implements Runnable {
        @Mixin
        ServerOptions server;

        @Override
        public void run() {
            JsonNode sources = server.client().get("/v1/admin/sources").path("sources");
            System.out.printf("%-24s %-40s %s%n", "NAME", "WRITE KEY", "CREATED");
            for (JsonNode s : sources) {
                System.out.printf(
                        "%-24s %-40s %s%n",
                        s.path("name").asText(),
                        s.path("writeKey").asText(),
                        s.path("createdAt").asText());
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a source; prints its write key.")
    static final class AddSource implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--name", required = true, description = "source name, such as web or ios-app")
        String name;

        @Option(names = "--write-key", description = "write key to use (default: generated)")
        String writeKey;

        @Override
        public void run() {
            AdminClient client = server.client();
            var body = client.mapper().createObjectNode().put("name", name);
            if (writeKey != null) {
                body.put("writeKey", writeKey);
            }
            JsonNode source = client.post("/v1/admin/sources", body.toString());
            System.out.println("Source '" + source.path("name").asText() + "' created; write key: "
                    + source.path("writeKey").asText());
        }
    }
}
