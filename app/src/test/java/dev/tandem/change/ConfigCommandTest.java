package dev.tandem.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.connect.Receiver;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code tandem config export|plan|apply} against a running server: the API's objects round-trip
 * through a file; the plan names each change's tier and who must approve it; applying with a
 * person's token proposes pending changes, and nothing when the file matches what is live.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ConfigCommandTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    ConfigCommandTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void exportPlanAndApplyRoundTripTheApisObjectsAsChanges() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, "")) {
            Http.Response made = server.adminSend(
                    "POST",
                    "/v1/destinations",
                    "{\"key\": \"hook\", "
                            + TwoKeysTest.destination(receiver, "/hook", false, "[\"it\"]")
                                    .substring(1));
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            String ann = Team.person(server, "ann", "marketing", "marketer");
            Team.person(server, "bob", "it", "steward");
            Path file = dir.resolve("workspace-api.yaml");

            Cli.Result exported = Cli.run(
                    "config",
                    "export",
                    "--server",
                    server.url(),
                    "--token",
                    TestServer.ADMIN_TOKEN,
                    "--out",
                    file.toString());
            assertThat(exported.code()).as(exported.err()).isZero();
            String text = Files.readString(file);
            assertThat(text).contains("destinations:").contains("key: hook").contains("type == 'track'");

            Cli.Result unchanged =
                    Cli.run("config", "apply", file.toString(), "--server", server.url(), "--token", ann);
            assertThat(unchanged.code()).as(unchanged.err()).isZero();
            assertThat(unchanged.out()).contains("Nothing to change");

            Files.writeString(
                    file,
                    text.replace("type == 'track'", "event == 'Order Completed'")
                            + "audiences:\n  - key: vips\n    name: VIPs\n    owners: [marketing]\n    condition: \"event_count > 3\"\n");
            Cli.Result plan = Cli.run("config", "plan", file.toString(), "--server", server.url(), "--token", ann);
            assertThat(plan.code()).as(plan.err()).isZero();
            assertThat(plan.out())
                    .containsPattern("update +destination +hook +medium +one approval from it")
                    .containsPattern("create +audience +vips +medium +one approval from marketing");
            assertThat(server.admin("/v1/changes?status=pending")
                            .json()
                            .path("changes")
                            .size())
                    .as("a plan proposes nothing")
                    .isZero();

            Cli.Result applied = Cli.run("config", "apply", file.toString(), "--server", server.url(), "--token", ann);
            assertThat(applied.code()).as(applied.err()).isZero();
            assertThat(applied.out()).contains("2 change(s) proposed").contains("pending");
            java.util.List<String> pending = new java.util.ArrayList<>();
            server.admin("/v1/changes?status=pending")
                    .json()
                    .path("changes")
                    .forEach(c -> pending.add(c.path("key").asText()));
            assertThat(pending).containsExactlyInAnyOrder("hook", "vips");

            Files.writeString(file, "spaceships:\n  - key: one\n");
            Cli.Result wrong = Cli.run("config", "plan", file.toString(), "--server", server.url(), "--token", ann);
            assertThat(wrong.code()).isNotZero();
            assertThat(wrong.err()).contains("spaceship");
        }
    }
}
