package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tandem audiences list|preview}: audiences with sizes and computation progress, and what an unsaved condition would hold. */
@Command(
        name = "audiences",
        mixinStandardHelpOptions = true,
        description = "List audiences, or preview a condition.",
        subcommands = {AudiencesCommand.ListAudiences.class, AudiencesCommand.PreviewCondition.class})
final class AudiencesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Audiences with their size and status.")
    static final class ListAudiences implements Runnable {
        @Mixin
        ServerOptions server;

        @Override
        public void run() {
            JsonNode audiences = server.client().get("/v1/audiences").path("audiences");
            System.out.printf("%-28s %-16s %12s  %s%n", "KEY", "STATUS", "SIZE", "NAME");
            for (JsonNode a : audiences) {
                String status = a.path("status").asText();
                if (a.has("progress")) {
                    status += String.format(" %.0f%%", 100 * a.path("progress").asDouble());
                }
                System.out.printf(
                        "%-28s %-16s %,12d  %s%n",
                        a.path("key").asText(),
                        status,
                        a.path("size").asLong(),
                        a.path("name").asText());
                long failures = a.at("/failures/count").asLong();
                if (failures > 0) {
                    System.out.printf(
                            "%-28s %d profiles could not be evaluated; last: %s%n",
                            "", failures, a.at("/failures/last").asText());
                }
            }
        }
    }

    @Command(
            name = "preview",
            mixinStandardHelpOptions = true,
            description = "Estimated size and a sample for a condition that is not saved.")
    static final class PreviewCondition implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(paramLabel = "CONDITION", description = "a CEL condition, such as 'computed.orders_30d >= 2'")
        String condition;

        @Override
        public void run() {
            AdminClient client = server.client();
            JsonNode p = client.post(
                    "/v1/audiences/preview",
                    client.mapper()
                            .createObjectNode()
                            .put("condition", condition)
                            .toString());
            if (p.path("estimated_size").isNull()) {
                System.out.printf(
                        "fewer than %d profiles (counts this small are withheld from this token; %,d evaluated)%n",
                        p.path("fewer_than").asInt(), p.path("evaluated").asLong());
                return;
            }
            long size = p.path("estimated_size").asLong();
            System.out.printf(
                    "%s %,d profile%s (%,d of %,d evaluated matched)%n",
                    p.path("exact").asBoolean() ? "exactly" : "about",
                    size,
                    size == 1 ? "" : "s",
                    p.path("matched").asLong(),
                    p.path("evaluated").asLong());
            for (JsonNode s : p.path("sample")) {
                System.out.println("  profile " + s.path("profile_id").asText() + "  " + s.path("identifiers"));
            }
        }
    }
}
