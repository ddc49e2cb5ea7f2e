package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tandem.config.LocatedYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem config export|plan|apply}: the objects made through the API (destinations,
 * audiences) as a YAML file IT can keep in git and review; a plan of what a file would change, with
 * each change's tier and who must approve it; and applying a file, which proposes each change as
 * the caller (with a person's own token, approvals follow the tiers).
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Export the objects made through the API, plan a file against what is live, apply it as changes.",
        subcommands = {ConfigCommand.Export.class, ConfigCommand.Plan.class, ConfigCommand.Apply.class})
final class ConfigCommand {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Write the objects made through the API as YAML.")
    static final class Export implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--out", description = "file to write (default: standard output)")
        Path out;

        @Override
        public void run() {
            JsonNode live = server.client().get("/v1/workspace");
            ObjectNode file = YAML.createObjectNode();
            live.path("objects").properties().forEach(kind -> {
                var list = file.putArray(section(kind.getKey()));
                kind.getValue().forEach(list::add);
            });
            String text = "# Objects made through Tandem's API, exported " + java.time.Instant.now()
                    + ".\n# Edit and run 'tandem config plan FILE', then 'tandem config apply FILE'.\n"
                    + yaml(file);
            if (out == null) {
                System.out.print(text);
                return;
            }
            try {
                Files.writeString(out, text);
            } catch (IOException e) {
                throw new CommandFailure("Could not write " + out + ": " + e.getMessage());
            }
            System.out.println("Wrote " + out + ".");
        }
    }

    @Command(
            name = "plan",
            mixinStandardHelpOptions = true,
            description = "Show what a file would change, each change's tier and who must approve it.")
    static final class Plan implements Runnable {
        @Mixin
        ServerOptions server;

        @Mixin
        PlanFile planned;

        @Override
        public void run() {
            print(planned.plan(server.client()));
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = "Propose every change a file makes, as the token's holder.")
    static final class Apply implements Runnable {
        @Mixin
        ServerOptions server;

        @Mixin
        PlanFile planned;

        @Override
        public void run() {
            AdminClient client = server.client();
            ObjectNode objects = declarations(planned.file);
            JsonNode plan = planned.plan(client, objects);
            for (JsonNode item : plan) {
                if (item.path("action").asText().equals("invalid")) {
                    throw new CommandFailure(
                            "Nothing was proposed: " + item.path("kind").asText() + " '"
                                    + item.path("key").asText() + "' is invalid: "
                                    + item.path("error").asText());
                }
            }
            int proposed = 0;
            for (JsonNode item : plan) {
                String action = item.path("action").asText();
                if (action.equals("none")) {
                    continue;
                }
                ObjectNode body = client.mapper().createObjectNode();
                body.put("kind", item.path("kind").asText());
                body.put("key", item.path("key").asText());
                if (action.equals("delete")) {
                    body.put("remove", true);
                } else {
                    body.set(
                            "declaration",
                            objects.path(item.path("kind").asText())
                                    .path(item.path("key").asText()));
                }
                JsonNode change = client.post("/v1/changes", body.toString());
                proposed++;
                System.out.printf(
                        "change %-5s %-7s %-12s %-20s %-8s %s%n",
                        change.path("id").asText(),
                        action,
                        item.path("kind").asText(),
                        item.path("key").asText(),
                        change.path("status").asText(),
                        change.path("status").asText().equals("pending")
                                ? "needs " + String.join("; ", texts(change.path("needs")))
                                : "");
            }
            System.out.println(
                    proposed == 0
                            ? "Nothing to change: the file matches what is live."
                            : proposed + " change(s) proposed; follow them with GET /v1/changes?status=pending.");
        }
    }

    /** The file plan and apply read, whether to remove what it leaves out, and the server's plan of it. */
    static final class PlanFile {
        @Parameters(index = "0", description = "a file as 'tandem config export' writes")
        Path file;

        @Option(names = "--prune", description = "also remove live objects the file leaves out")
        boolean prune;

        JsonNode plan(AdminClient client) {
            return plan(client, declarations(file));
        }

        /** The server's plan of {@code objects}, the file as read once ({@link #declarations}). */
        JsonNode plan(AdminClient client, ObjectNode objects) {
            ObjectNode body = client.mapper().createObjectNode();
            body.set("objects", objects);
            body.put("prune", prune);
            return client.post("/v1/workspace/plan", body.toString()).path("plan");
        }
    }

    private static void print(JsonNode plan) {
        System.out.printf("%-7s %-12s %-20s %-6s %s%n", "ACTION", "KIND", "KEY", "TIER", "WHO MUST APPROVE");
        for (JsonNode item : plan) {
            String action = item.path("action").asText();
            String who = switch (action) {
                case "none" -> "(unchanged)";
                case "invalid" -> item.path("error").asText();
                default ->
                    item.path("appliesAtOnce").asBoolean()
                            ? "nobody: applies at once"
                            : String.join("; ", texts(item.path("needs")));
            };
            System.out.printf(
                    "%-7s %-12s %-20s %-6s %s%n",
                    action,
                    item.path("kind").asText(),
                    item.path("key").asText(),
                    item.path("tier").asText(""),
                    who);
        }
    }

    /** The file's sections as {@code {kind: {key: declaration}}}: {@code destinations:} holds kind destination. */
    private static ObjectNode declarations(Path file) {
        JsonNode root = LocatedYaml.read(file).root();
        ObjectNode out = YAML.createObjectNode();
        if (root == null || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new CommandFailure(file + " must be a mapping of sections, such as destinations: [...].");
        }
        root.properties().forEach(section -> {
            if (!section.getValue().isArray()) {
                throw new CommandFailure(
                        file + ": '" + section.getKey() + "' must be a list of objects, each with a 'key'.");
            }
            ObjectNode kind = out.putObject(kind(section.getKey()));
            for (JsonNode item : section.getValue()) {
                if (!item.path("key").isTextual()) {
                    throw new CommandFailure(file + ": every item of '" + section.getKey() + "' needs a 'key'.");
                }
                kind.set(item.get("key").asText(), item);
            }
        });
        return out;
    }

    private static String section(String kind) {
        return kind + "s";
    }

    private static String kind(String section) {
        return section.endsWith("s") ? section.substring(0, section.length() - 1) : section;
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String yaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
