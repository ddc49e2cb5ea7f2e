package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad configuration stops start-up with the file, the line and the fix, through 'tandem serve'. */
class WorkspaceConfigTest {
    @TempDir
    Path dir;

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

    @Test
    void yamlSyntaxErrorsNameTheLine() throws Exception {
        assertThat(serveFails("sources:\n  - name: web\n    writeKey: [unclosed\n"))
                .contains("tandem.yaml line")
                .contains("not valid YAML");
    }

    @Test
    void unknownSectionsAndFieldsAreNamedWithTheirLine() throws Exception {
        assertThat(serveFails("sources:\n  - name: web\nsorces: []\n"))
                .contains("line 3")
                .contains("unknown section 'sorces'");
        assertThat(serveFails("sources:\n  - name: web\n    writekey: wk_abcdefgh\n"))
                .contains("line 3")
                .contains("unknown source field 'writekey'");
    }

    @Test
    void badValuesNameTheirLineAndTheFix() throws Exception {
        String badKey = serveFails("sources:\n  - name: web\n  - name: app\n    writeKey: short\n");
        assertThat(badKey)
                .contains("line 4")
                .contains("(/sources/1/writeKey)")
                .contains("remove the line to have one generated");
        assertThat(serveFails("sources:\n  - name: web\n  - name: web\n"))
                .contains("line 3")
                .contains("used twice");
        assertThat(serveFails("server:\n  port: eighty\n")).contains("line 2").contains("not a TCP port");
        assertThat(serveFails("sources:\n  - name: Web Site\n"))
                .contains("line 2")
                .contains("lower-case");
    }

    @Test
    void identityAndProfileRulesAreCheckedWithTheirLine() throws Exception {
        assertThat(serveFails("identity:\n  limits:\n    device_id: 0\n"))
                .contains("line 3")
                .contains("(/identity/limits/device_id)")
                .contains("whole number from 1");
        assertThat(serveFails("identity:\n  limits:\n    device_id: {max: 3, window: soon}\n"))
                .contains("line 3")
                .contains("positive duration such as '30d'");
        assertThat(serveFails("identity:\n  limits:\n    shoe_size: 2\n"))
                .contains("there is no identifier type 'shoe_size'");
        assertThat(serveFails("identity:\n  phoneRegion: XX\n"))
                .contains("line 2")
                .contains("region code");
        assertThat(serveFails("identity:\n  priority: [email, nope]\n")).contains("'nope' is not an identifier type");
        assertThat(serveFails("identity:\n  types:\n    - name: loyalty_id\n"))
                .contains("line 3")
                .contains("needs a 'path'");
        assertThat(serveFails("identity:\n  blocked:\n    patterns: ['([']\n"))
                .contains("not a valid regular expression");
        assertThat(serveFails("identity:\n  matching: fuzzy\n"))
                .contains("line 2")
                .contains("unknown field 'matching'");
        assertThat(serveFails("profiles:\n  computedTraits:\n    - name: revenue\n      aggregate: sum\n"))
                .contains("line 3")
                .contains("add 'property'");
        assertThat(serveFails(
                        "profiles:\n  computedTraits:\n    - name: x\n      aggregate: median\n      property: p\n"))
                .contains("line 4")
                .contains("'aggregate' must be one of");
        assertThat(serveFails(
                        "profiles:\n  computedTraits:\n    - name: x\n      aggregate: count\n      window: 10m\n"))
                .contains("at least one hour");
    }

    @Test
    void badAudienceConditionsAndPlacementRulesNameTheirLineAndColumn() throws Exception {
        assertThat(serveFails(
                        "audiences:\n  - key: vip\n    name: VIP\n    owners: [m]\n    condition: traits.plan ==\n"))
                .contains("line 5")
                .contains("(/audiences/0/condition)")
                .contains("column 15");
        assertThat(serveFails(
                        "audiences:\n  - key: vip\n    name: VIP\n    owners: [m]\n    condition: now > first_seen\n"))
                .contains("line 5")
                .contains("'now' is not something an audience condition can read");
        assertThat(serveFails("audiences:\n  - key: vip\n    name: VIP\n    condition: 'true'\n"))
                .contains("line 2")
                .contains("needs 'owners'");
        assertThat(serveFails(
                        "placements:\n  - key: hero\n    owners: [m]\n    rules:\n      - when: traits.x +\n        variant: a\n"
                                + "    default: {variant: b}\n"))
                .contains("line 5")
                .contains("(/placements/0/rules/0/when)");
        assertThat(
                        serveFails(
                                "placements:\n  - key: hero\n    owners: [m]\n    default: {variant: b}\n    experiment:\n      key: t\n"
                                        + "      goal: Order Completed\n      variants:\n        - {key: a, weight: 1, content: {x: 1}}\n        - {key: b, weight: 1, content: {x: 2}}\n"))
                .contains("line 6")
                .contains("exactly one of them with 'control: true'");
    }

    @Test
    void theExampleWorkspaceLoads() {
        Workspace example = Workspace.load(Path.of("..", "tandem.yaml.example"));
        assertThat(example.activation().audiences())
                .extracting(a -> a.key())
                .containsExactly("big_spenders", "active_repeat_buyers");
        assertThat(example.activation().placements())
                .singleElement()
                .satisfies(p -> assertThat(p.experiment().key()).isEqualTo("hero_copy"));
        assertThat(example.trackingPlans())
                .singleElement()
                .satisfies(p -> assertThat(p.sources()).containsExactly("web"));
    }

    @Test
    void aMissingFileSaysSo() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("serve", "--config", dir.resolve("nope.yaml").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
    }

    @Test
    void environmentOverridesTheFileAndBadEnvironmentValuesAreNamed() {
        ServerConfig config = ServerConfig.resolve(Map.of(), Map.of("TANDEM_PORT", "9999"), Map.of("port", "8081"));
        assertThat(config.port()).isEqualTo(9999);
        assertThat(ServerConfig.resolve(Map.of(), Map.of(), Map.of("port", "8081"))
                        .port())
                .isEqualTo(8081);
        assertThatThrownBy(
                        () -> ServerConfig.resolve(Map.of(), Map.of("TANDEM_DATABASE_URL", "postgres://x"), Map.of()))
                .hasMessageContaining("TANDEM_DATABASE_URL")
                .hasMessageContaining("jdbc:postgresql://");
    }

    @Test
    void theStorageSettingsRefuseWhatTheyCannotMean() {
        assertThat(ServerConfig.resolve(Map.of(), Map.of(), Map.of()).sealRawEvents())
                .as("raw events are sealed by default")
                .isTrue();
        assertThat(ServerConfig.resolve(Map.of(), Map.of(), Map.of()).processorShareUnderLoad())
                .isEqualTo(25);
        assertThat(ServerConfig.resolve(Map.of("sealRawEvents", "false"), Map.of(), Map.of())
                        .sealRawEvents())
                .isFalse();
        for (String bad : new String[] {"0", "101", "-5", "half", ""}) {
            assertThatThrownBy(() -> ServerConfig.resolve(Map.of(), Map.of(), Map.of("processorShareUnderLoad", bad)))
                    .as(bad)
                    .hasMessageContaining("tandem.yaml server.processorShareUnderLoad")
                    .hasMessageContaining("a percentage from 1 to 100");
        }
        assertThatThrownBy(() -> ServerConfig.resolve(Map.of(), Map.of("TANDEM_SEAL_RAW_EVENTS", "yes"), Map.of()))
                .hasMessageContaining("TANDEM_SEAL_RAW_EVENTS")
                .hasMessageContaining("expected true or false");
    }
}
