package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tandem journeys list|dryrun|pause|resume}: the journeys, what one would reach before launch, and stopping one at once. */
@Command(
        name = "journeys",
        mixinStandardHelpOptions = true,
        description = "List journeys with their step counts, dry-run one over stored data, pause or resume one.",
        subcommands = {
            JourneysCommand.ListJourneys.class,
            JourneysCommand.DryRun.class,
            JourneysCommand.Pause.class,
            JourneysCommand.Resume.class
        })
final class JourneysCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List journeys, with what each step did.")
    static final class ListJourneys implements Runnable {
        @Mixin
        ServerOptions server;

        @Override
        public void run() {
            AdminClient client = server.client();
            for (JsonNode j : client.get("/v1/journeys").path("journeys")) {
                String key = j.path("key").asText();
                System.out.printf(
                        "%s v%d %s  (%s)%n",
                        key,
                        j.path("version").asInt(),
                        j.path("status").asText(),
                        j.path("entry").asText());
                steps(client.get("/v1/journeys/" + key + "/stats"));
            }
        }
    }

    /** Prints a stats or dry-run answer's steps, one line each. */
    static void steps(JsonNode body) {
        System.out.printf(
                "  %-10s %-9s %8s %8s %8s %8s %8s %8s %8s%n",
                "STEP", "KIND", "ENTERED", "WAITING", "ADVANCED", "EXITED", "SENT", "CAPPED", "HELD");
        for (JsonNode s : body.path("steps")) {
            System.out.printf(
                    "  %-10s %-9s %8d %8d %8d %8d %8d %8d %8d%n",
                    s.path("step").asText(),
                    s.path("kind").asText(),
                    s.path("entered").asLong(),
                    s.path("waiting").asLong(),
                    s.path("advanced").asLong(),
                    s.path("exited").asLong(),
                    s.path("sent").asLong(),
                    s.path("capped").asLong(),
                    s.path("held").asLong());
        }
    }

    @Command(
            name = "dryrun",
            mixinStandardHelpOptions = true,
            description = "Walk a journey over stored data without sending.")
    static final class DryRun implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "the journey key")
        String key;

        @Option(
                names = "--days",
                defaultValue = "7",
                description = "days of events an event entry reads (default: ${DEFAULT-VALUE})")
        int days;

        @Override
        public void run() {
            JsonNode r = server.client().post("/v1/journeys/" + key + "/dryrun?days=" + days, null);
            System.out.printf(
                    "%s v%d: %d would enter (%d held out) of %d scanned%n",
                    key,
                    r.path("version").asInt(),
                    r.path("entered").asLong(),
                    r.path("heldOut").asLong(),
                    r.path("scanned").asLong());
            steps(r);
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Pause a journey: nothing more is sent until it is resumed.")
    static final class Pause implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "the journey key")
        String key;

        @Override
        public void run() {
            System.out.println(key + " "
                    + server.client()
                            .post("/v1/journeys/" + key + "/pause", null)
                            .path("status")
                            .asText());
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused journey.")
    static final class Resume implements Runnable {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", description = "the journey key")
        String key;

        @Override
        public void run() {
            System.out.println(key + " "
                    + server.client()
                            .post("/v1/journeys/" + key + "/resume", null)
                            .path("status")
                            .asText());
        }
    }
}
