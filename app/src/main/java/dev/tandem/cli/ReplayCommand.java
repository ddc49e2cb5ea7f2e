package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.process.ProcessorStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem replay}: rebuild identities and profiles from every stored event, for example
 * after changing the identity rules in tandem.yaml and restarting. Shows progress until done.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Rebuild identities and profiles from all stored events under the current rules, showing progress.")
final class ReplayCommand implements Runnable {
    @Mixin
    ServerOptions server;

    @Option(names = "--no-wait", description = "start the replay and return at once")
    boolean noWait;

    @Override
    public void run() {
        AdminClient client = server.client();
        JsonNode started = client.post("/v1/admin/replay", null);
        long target = started.path("replayTarget").asLong();
        System.out.println("Replaying " + target + " stored events; profiles are rebuilt from the first one.");
        if (noWait) {
            System.out.println("Follow it with GET /v1/admin/processor.");
            return;
        }
        long began = System.nanoTime();
        while (true) {
            JsonNode status = client.get("/v1/admin/processor");
            long cursor = status.path("cursor").asLong();
            ProcessorStatus.State state =
                    ProcessorStatus.State.named(status.path("state").asText());
            if (state == ProcessorStatus.State.FAILING) {
                System.out.printf(
                        "%n  retrying after an error: %s%n",
                        status.path("lastError").asText());
            }
            boolean done = state != ProcessorStatus.State.REPLAYING && state != ProcessorStatus.State.FAILING;
            long shown = done ? target : Math.min(cursor, target);
            System.out.printf("\r  %,d / %,d events (%d%%)", shown, target, target == 0 ? 100 : shown * 100 / target);
            if (done) {
                double seconds = (System.nanoTime() - began) / 1e9;
                System.out.printf("%nDone in %.1f s.%n", seconds);
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure("Interrupted; the replay goes on in the server.");
            }
        }
    }
}
