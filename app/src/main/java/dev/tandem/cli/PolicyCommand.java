package dev.tandem.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.Json;
import dev.tandem.govern.Decision;
import dev.tandem.govern.PolicyTrial;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tandem policy test FILE}: the decisions a policy makes for the examples in the file, before it goes live. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Try policies out before they are live.",
        subcommands = PolicyCommand.Test.class)
final class PolicyCommand {

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description =
                    "Run a policy file (pack, rules, examples) against its examples and show each decision with its reasons.")
    static final class Test implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "a policy file; see docs/policies.md")
        Path file;

        @Override
        public Integer call() {
            List<PolicyTrial.Outcome> outcomes = PolicyTrial.run(file);
            ObjectMapper mapper = Json.mapper();
            int failed = 0;
            for (PolicyTrial.Outcome o : outcomes) {
                String verdict = o.expected() == null
                        ? ""
                        : o.passed() ? "  (as expected)" : "  FAILED: expected " + o.expected();
                System.out.println(o.name() + ": " + o.decision().name() + verdict);
                for (Decision.Reason r : o.decision().reasons()) {
                    System.out.println("    "
                            + (r.rule().isEmpty()
                                    ? ""
                                    : r.rule() + " (" + r.effect().wireName() + ")"
                                            + (r.fields().isEmpty() ? "" : " on " + String.join(", ", r.fields()))
                                            + ": ")
                            + r.reason());
                }
                if (o.decision().payload() != null) {
                    System.out.println(
                            "    payload: " + mapper.valueToTree(o.decision().payload()));
                }
                failed += o.passed() ? 0 : 1;
            }
            System.out.println(
                    outcomes.size() + " examples, " + (outcomes.size() - failed) + " as expected, " + failed + " not.");
            return failed == 0 ? 0 : 1;
        }
    }
}
