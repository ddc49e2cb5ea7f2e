package dev.tandem.retain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** A bad retention stops 'tandem serve' with the file, the line, the path and the rule. */
class RetentionConfigTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "events: -5d|is not a retention",
                "events: 0d|is out of range",
                "events: 0h|is out of range",
                "events: 30m|is not a retention",
                "events: 400|is not a retention",
                "events: 400 days|is not a retention",
                "events: 400x|is not a retention",
                "events: 99999999d|is out of range",
                "events: 999999999999999999d|is not a retention",
                "quarantine: 36501d|is out of range",
                "quarantine: [30d]|a retention is a whole number",
                "keep: 30d|unknown retention field 'keep'"
            })
    void badRetentionsNameTheirLineAndTheRule(String line, String problem) throws Exception {
        String err = serveFails("sources:\n  - name: web\n    retention:\n      " + line + "\n");
        assertThat(err)
                .contains("tandem.yaml line 4")
                .contains("/sources/0/retention/")
                .contains(problem);
        if (!problem.startsWith("unknown")) {
            assertThat(err).contains("h (hours), d (days) or w (weeks), from 1h to 36500d");
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"retention: 400d|'retention' must be a mapping", "retention: []|must be a mapping"})
    void aRetentionIsAMapping(String line, String problem) throws Exception {
        assertThat(serveFails("sources:\n  - name: web\n    " + line + "\n"))
                .contains("tandem.yaml line 3")
                .contains("/sources/0/retention")
                .contains(problem);
    }

    private String serveFails(String yaml) throws Exception {
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, yaml);
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(
                "serve",
                "--config",
                file.toString(),
                "--port",
                "0",
                "--data",
                dir.resolve("data").toString());
        assertThat(code).isEqualTo(2);
        return err.toString();
    }
}
