package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.audit.Checkpoint;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem audit list|verify|checkpoint}: read the audit trail, prove it untouched, keep a signed copy of where it stands. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Read the tamper-evident audit trail, verify it, export signed checkpoints.",
        subcommands = {AuditCommand.ListEntries.class, AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List audit entries, oldest first.")
    static final class ListEntries implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--kind", description = "only entries of this kind, such as admin.change")
        String kind;

        @Option(names = "--actor", description = "only entries by this actor, such as admin or token:web")
        String actor;

        @Option(names = "--object", description = "only entries about this object")
        String object;

        @Option(names = "--limit", defaultValue = "100", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public void run() {
            StringBuilder path = new StringBuilder("/v1/audit?limit=" + limit);
            param(path, "kind", kind);
            param(path, "actor", actor);
            param(path, "object", object);
            JsonNode page = server.client().get(path.toString());
            System.out.printf("%-7s %-24s %-18s %-30s %s%n", "ID", "AT", "ACTOR", "KIND", "OBJECT");
            for (JsonNode e : page.path("entries")) {
                System.out.printf(
                        "%-7d %-24s %-18s %-30s %s%n",
                        e.path("id").asLong(),
                        e.path("at").asText(),
                        e.path("actor").asText(),
                        e.path("kind").asText(),
                        e.path("object").asText());
            }
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Recompute every hash of the audit trail and check its signed checkpoints; exits 1 and names"
                    + " the first entry edited, removed or reordered.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Option(
                names = "--checkpoint",
                paramLabel = "FILE",
                description = "also check against a checkpoint exported earlier with 'tandem audit checkpoint'")
        Path checkpoint;

        @Override
        public Integer call() {
            String path = "/v1/audit/verify";
            if (checkpoint != null) {
                Checkpoint kept = read(checkpoint);
                if (!kept.signatureValid()) {
                    System.out.println("INVALID: the checkpoint in " + checkpoint
                            + " does not carry a valid Ed25519 signature of its public key; it was altered.");
                    return 1;
                }
                path += "?size=" + kept.size() + "&root=" + kept.root();
            }
            JsonNode v = server.client().get(path);
            if (v.path("valid").asBoolean()) {
                long unanchored = v.path("unanchored").asLong();
                System.out.println("valid: " + v.path("entries").asLong() + " entries, "
                        + v.path("checkpoints").asInt() + " checkpoints checked; entries 1 to "
                        + v.path("checkpointed").asLong() + " are covered by a signed checkpoint"
                        + (unanchored == 0
                                ? ""
                                : ", the " + unanchored + " after them only by their hashes (tandem audit checkpoint"
                                        + " signs them)"));
                return 0;
            }
            System.out.println("INVALID"
                    + (v.path("firstInvalid").isNull()
                            ? ""
                            : ": first bad entry " + v.path("firstInvalid").asLong())
                    + " (" + v.path("reason").asText() + ")");
            return 1;
        }
    }

    @Command(
            name = "checkpoint",
            mixinStandardHelpOptions = true,
            description = "Sign a checkpoint of the audit trail as it is now, and write it out to keep outside Tandem.")
    static final class Export implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Option(names = "--out", paramLabel = "FILE", description = "write it here (default: print it)")
        Path out;

        @Override
        public Integer call() throws IOException {
            AdminClient client = server.client();
            JsonNode c = client.get("/v1/audit/checkpoint");
            String json = client.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(c);
            if (out == null) {
                System.out.println(json);
            } else {
                Files.writeString(out, json + "\n");
                System.out.println("checkpoint of " + c.path("size").asLong() + " entries written to " + out);
            }
            return 0;
        }
    }

    private static Checkpoint read(Path file) {
        try {
            JsonNode c = dev.tandem.config.Json.mapper().readTree(Files.readString(file));
            if (!c.path("size").canConvertToLong() || !c.path("root").isTextual()) {
                throw new CommandFailure(file + " is not a checkpoint: it needs 'size', 'root', 'atMillis', "
                        + "'signature' and 'publicKey', as 'tandem audit checkpoint --out FILE' writes.");
            }
            return new Checkpoint(
                    c.path("size").asLong(),
                    c.path("root").asText(),
                    c.path("atMillis").asLong(),
                    c.path("signature").asText(),
                    c.path("publicKey").asText());
        } catch (IOException e) {
            throw new CommandFailure("Cannot read the checkpoint " + file + ": " + e.getMessage());
        }
    }

    private static void param(StringBuilder path, String name, String value) {
        if (value != null) {
            path.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
