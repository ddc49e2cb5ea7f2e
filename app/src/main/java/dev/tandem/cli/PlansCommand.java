package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem plans infer}: tracking plans of a running server. */
@Command(
        name = "plans",
        mixinStandardHelpOptions = true,
        description = "Tracking plans: draft one from what a source has sent.",
        subcommands = {PlansCommand.Infer.class})
final class PlansCommand {

    @Command(
            name = "infer",
            mixinStandardHelpOptions = true,
            description =
                    "Print a draft tracking plan (YAML for tandem.yaml) from the events a source has sent and the field catalog.")
    static final class Infer implements Runnable {
        @Mixin
        ServerOptions server;

        @Option(names = "--source", required = true, description = "the source's name, such as web")
        String source;

        @Override
        public void run() {
            JsonNode draft = server.client()
                    .get("/v1/tracking-plan-drafts/"
                            + URLEncoder.encode(source, StandardCharsets.UTF_8).replace("+", "%20"));
            System.out.println("# Draft tracking plan for source '" + source + "', from "
                    + draft.path("events").asInt() + " stored events and the field catalog.");
            System.out.println(
                    "# Review the types and 'required', name the owners, choose the mode, then add it to tandem.yaml");
            System.out.println("# (or PUT it to /v1/tracking-plans/" + source + " as JSON).");
            System.out.print(draft.path("yaml").asText());
        }
    }
}
