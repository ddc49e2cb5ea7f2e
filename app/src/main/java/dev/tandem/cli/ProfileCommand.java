package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tandem profile show <type:value>}: one profile as the Profile API sees it, for a person to read. */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = "Look at a customer profile.",
        subcommands = {ProfileCommand.Show.class})
final class ProfileCommand {

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show the profile that has an identifier: traits, identifiers, recent events and merges.")
    static final class Show implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(
                paramLabel = "TYPE:VALUE",
                description =
                        "any identifier of the profile, such as email:ann@example.com, user_id:u-42 or profile_id:17")
        String identifier;

        @Option(
                names = "--events",
                defaultValue = "10",
                description = "how many recent events to list (default: ${DEFAULT-VALUE})")
        int events;

        @Option(names = "--json", description = "print one JSON document instead of text")
        boolean json;

        @Override
        public void run() {
            if (identifier.indexOf(':') <= 0) {
                throw new CommandFailure(
                        "Name the profile as TYPE:VALUE, such as email:ann@example.com or user_id:u-42.");
            }
            if (events < 1 || events > 200) {
                throw new CommandFailure("--events must be from 1 to 200.");
            }
            AdminClient client = server.client();
            String base = "/v1/profiles/"
                    + URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("%3A", ":") + "/";
            JsonNode traits = client.get(base + "traits");
            JsonNode meta = client.get(base + "metadata");
            JsonNode ids = client.get(base + "external_ids").path("data");
            JsonNode recent =
                    client.get(base + "events?order=desc&limit=" + events).path("data");
            JsonNode merges = client.get(base + "merges").path("data");
            if (json) {
                ObjectNode all = client.mapper().createObjectNode();
                all.set("metadata", meta);
                all.set("traits", traits.path("traits"));
                all.set("external_ids", ids);
                all.set("events", recent);
                all.set("merges", merges);
                System.out.println(all.toPrettyString());
                return;
            }
            System.out.printf(
                    "Profile %s (found by %s)%n", meta.path("profile_id").asText(), identifier);
            System.out.printf(
                    "  first seen %s, last seen %s, %d events%n",
                    meta.path("first_seen").asText(),
                    meta.path("last_seen").asText(),
                    meta.path("events").asLong());
            System.out.printf("  channels %s; sources %s%n", list(meta.path("channels")), list(meta.path("sources")));
            System.out.println();
            System.out.println("Traits");
            for (Map.Entry<String, JsonNode> t : traits.path("traits").properties()) {
                System.out.printf(
                        "  %-22s %s%n",
                        t.getKey(),
                        t.getValue().isTextual()
                                ? t.getValue().asText()
                                : t.getValue().toString());
            }
            System.out.println();
            System.out.println("Identifiers");
            for (JsonNode id : ids) {
                System.out.printf(
                        "  %-15s %-38s first seen %s (%s)%n",
                        id.path("type").asText(),
                        id.path("id").asText(),
                        id.path("created_at").asText(),
                        id.path("source").asText());
            }
            System.out.println();
            System.out.println("Recent events, newest first");
            for (JsonNode e : recent) {
                String what = e.path("type").asText().equals("track")
                        ? e.path("event").asText()
                        : e.path("name").asText("");
                System.out.printf(
                        "  %s  %-9s %s%n",
                        e.path("timestamp").asText(), e.path("type").asText(), what);
            }
            System.out.println();
            System.out.println(merges.isEmpty() ? "No merges" : "Merges");
            for (JsonNode m : merges) {
                System.out.printf(
                        "  %s  profile %s joined into %s by %s:%s (message %s)%n",
                        m.path("at").asText(),
                        m.path("merged").asText(),
                        m.path("kept").asText(),
                        m.at("/identifier/type").asText(),
                        m.at("/identifier/id").asText(),
                        m.path("message_id").asText());
            }
        }

        private static String list(JsonNode array) {
            StringBuilder s = new StringBuilder();
            array.forEach(v -> s.append(s.isEmpty() ? "" : ", ").append(v.asText()));
            return s.isEmpty() ? "none" : s.toString();
        }
    }
}
