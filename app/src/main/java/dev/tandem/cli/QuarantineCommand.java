package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem quarantine list|replay}: look at refused events and re-submit them once fixed.
 * The fix loop: {@code list --jsonl > q.jsonl}, edit the events in q.jsonl, {@code replay --file q.jsonl}.
 */
@Command(
        name = "quarantine",
        mixinStandardHelpOptions = true,
        description = "Inspect and replay refused events.",
        subcommands = {QuarantineCommand.ListQuarantine.class, QuarantineCommand.Replay.class})
final class QuarantineCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List quarantined events not yet replayed.")
    static final class ListQuarantine implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(
                names = "--jsonl",
                description = "print one JSON line per event ({id, reason, event}), for editing and replay")
        boolean jsonl;

        @Override
        public void run() {
            AdminClient client = server.client();
            String after = "";
            while (true) {
                JsonNode page = client.get("/v1/quarantine?limit=1000" + (after.isEmpty() ? "" : "&after=" + after));
                for (JsonNode q : page.path("events")) {
                    if (jsonl) {
                        System.out.println(q);
                    } else {
                        System.out.printf(
                                "%-8d %-12s %-22s %s%n",
                                q.path("id").asLong(),
                                q.path("source").asText(),
                                q.path("reason").path("code").asText(),
                                q.path("reason").path("message").asText());
                    }
                }
                if (page.path("events").size() < 1000) {
                    return;
                }
                after = page.path("next").asText();
            }
        }
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description =
                    "Re-submit quarantined events: fixed ones from --file (lines with 'id' and 'event'), or --id as stored.")
    static final class Replay implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--file", description = "JSON lines as 'list --jsonl' prints them, with the events fixed")
        Path file;

        @Option(names = "--id", split = ",", description = "ids to replay unchanged (after a configuration fix)")
        List<Long> ids;

        @Override
        public void run() {
            if ((file == null) == (ids == null)) {
                throw new CommandFailure("Pass either --file with fixed events or --id with the ids to replay.");
            }
            AdminClient client = server.client();
            int ok = 0;
            int failed = 0;
            for (String line : lines()) {
                JsonNode item = parse(client, line);
                long id = item.path("id").asLong();
                try {
                    client.post(
                            "/v1/quarantine/" + id + "/replay",
                            item.has("event") ? item.get("event").toString() : null);
                    ok++;
                } catch (CommandFailure e) {
                    failed++;
                    System.out.println("  " + id + ": still refused: " + e.getMessage());
                }
            }
            System.out.println(
                    "Replayed " + ok + " event(s); " + failed + " still refused and left in the quarantine.");
        }

        private List<String> lines() {
            if (ids != null) {
                return ids.stream().map(id -> "{\"id\":" + id + "}").toList();
            }
            try {
                return Files.readAllLines(file).stream()
                        .filter(l -> !l.isBlank())
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }

        private static JsonNode parse(AdminClient client, String line) {
            try {
                JsonNode item = client.mapper().readTree(line);
                if (!item.path("id").canConvertToLong()) {
                    throw new CommandFailure("Each line needs the quarantine 'id': " + line);
                }
                return item;
            } catch (IOException e) {
                throw new CommandFailure("Not a JSON line: " + line);
            }
        }
    }
}
