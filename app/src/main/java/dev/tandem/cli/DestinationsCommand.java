package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.Json;
import dev.tandem.connect.ConnectorTypes;
import dev.tandem.connect.Connectors;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem destinations list|health|replay|types|add|remove}: where data goes, how well, what
 * was given up on, and destinations made and deleted through the admin API.
 */
@Command(
        name = "destinations",
        mixinStandardHelpOptions = true,
        description = "List destinations, read their health, replay dead letters, list connector types, "
                + "add or remove destinations through the API.",
        subcommands = {
            DestinationsCommand.ListDestinations.class,
            DestinationsCommand.Health.class,
            DestinationsCommand.Replay.class,
            DestinationsCommand.Types.class,
            DestinationsCommand.Add.class,
            DestinationsCommand.Remove.class
        })
final class DestinationsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List destinations with their state.")
    static final class ListDestinations implements Runnable {
        @Mixin
        ServerOptions server;

        @Override
        public void run() {
            JsonNode list = server.client().get("/v1/destinations").path("destinations");
            System.out.printf(
                    "%-20s %-9s %-9s %-26s %-24s %s%n", "KEY", "TYPE", "STATE", "PURPOSES", "OWNERS", "SENDS");
            for (JsonNode d : list) {
                String sends = (d.path("events").isNull() ? "" : "events")
                        + (d.path("identifies").asBoolean() ? " identifies" : "")
                        + (d.path("audiences").isEmpty() ? "" : " audiences " + join(d.path("audiences")));
                System.out.printf(
                        "%-20s %-9s %-9s %-26s %-24s %s%n",
                        d.path("key").asText(),
                        d.path("type").asText(),
                        d.path("state").asText(),
                        join(d.path("purposes")),
                        join(d.path("owners")),
                        sends.trim());
            }
        }
    }

    @Command(
            name = "health",
            mixinStandardHelpOptions = true,
            description = "Show each destination's health against its SLA.")
    static final class Health implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(arity = "0..1", description = "one destination key (default: all)")
        String key;

        @Override
        public void run() {
            AdminClient client = server.client();
            List<String> keys = key != null
                    ? List.of(key)
                    : client.get("/v1/destinations").path("destinations").findValuesAsText("key");
            System.out.printf(
                    "%-20s %-9s %9s %8s %8s %10s %10s %9s %8s %9s %7s%n",
                    "KEY",
                    "STATE",
                    "DELIVERED",
                    "RATIO",
                    "P95 MS",
                    "BACKLOG",
                    "OLDEST S",
                    "RETRYING",
                    "DEAD",
                    "REJECTED",
                    "BUDGET");
            for (String k : keys) {
                JsonNode h = client.get("/v1/destinations/" + k + "/health");
                System.out.printf(
                        "%-20s %-9s %9d %8.4f %8d %10d %10d %9d %8d %9d %6.0f%%%n",
                        k,
                        h.path("state").asText(),
                        h.path("delivered").asLong(),
                        h.path("deliveredRatio").asDouble(),
                        h.path("latencyP95Ms").asLong(),
                        h.path("backlog").asLong(),
                        h.path("oldestWaitingAgeMs").asLong() / 1000,
                        h.path("retrying").asLong(),
                        h.path("deadLettered").asLong(),
                        h.path("rejected").asLong(),
                        100 * h.path("budgetRemaining").asDouble());
                if (key != null) {
                    h.path("reasons").forEach(r -> System.out.println("  " + r.asText()));
                }
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Send a destination's dead letters again.")
    static final class Replay implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "the destination key")
        String key;

        @Option(names = "--id", split = ",", description = "dead-letter ids (default: every one not replayed yet)")
        List<Long> ids;

        @Override
        public void run() {
            String body = Json.mapper()
                    .valueToTree(ids == null ? Map.of() : Map.of("ids", ids))
                    .toString();
            JsonNode answer = server.client().post("/v1/destinations/" + key + "/dead-letters/replay", body);
            System.out.println("Replaying " + answer.path("replaying").asText() + " of '" + key
                    + "'; follow with: tandem destinations health " + key);
        }
    }

    @Command(name = "types", mixinStandardHelpOptions = true, description = "List connector types and their settings.")
    static final class Types implements Runnable {
        @Override
        public void run() {
            for (Map<String, Object> t : ConnectorTypes.describe(Connectors.builtIn())) {
                System.out.println(t.get("name") + ": " + t.get("description"));
                System.out.printf("  %-18s %-9s %-9s %-12s %s%n", "SETTING", "KIND", "REQUIRED", "DEFAULT", "DOC");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> settings = (List<Map<String, Object>>) t.get("settings");
                for (Map<String, Object> s : settings) {
                    System.out.printf(
                            "  %-18s %-9s %-9s %-12s %s%n",
                            s.get("name"),
                            s.get("kind"),
                            Boolean.TRUE.equals(s.get("required")) ? "yes" : "no",
                            s.get("default") == null ? "" : s.get("default"),
                            s.get("doc"));
                }
                System.out.println();
            }
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description =
                    "Make a destination through the admin API from a JSON file: the fields of one in tandem.yaml.")
    static final class Add implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "a JSON file such as {\"key\": \"crm\", \"type\": \"webhook\", ...}")
        java.nio.file.Path file;

        @Override
        public void run() {
            String body;
            try {
                body = java.nio.file.Files.readString(file);
            } catch (java.io.IOException e) {
                throw new CommandFailure("Cannot read " + file + ": " + e.getMessage());
            }
            JsonNode made = server.client().post("/v1/destinations", body);
            System.out.println("Made '" + made.path("key").asText() + "' ("
                    + made.path("type").asText()
                    + "); it delivers from now on. Follow with: tandem destinations health "
                    + made.path("key").asText());
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Delete a destination made through the admin API (those of tandem.yaml are edited there).")
    static final class Remove implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "the destination key")
        String key;

        @Override
        public void run() {
            JsonNode gone = server.client().delete("/v1/destinations/" + key);
            System.out.println("Removed '" + key + "'. " + gone.path("note").asText());
        }
    }

    private static String join(JsonNode list) {
        return String.join(",", texts(list));
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        list.forEach(v -> out.add(v.asText()));
        return out;
    }
}
