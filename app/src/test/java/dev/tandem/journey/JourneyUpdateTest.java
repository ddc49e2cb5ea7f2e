package dev.tandem.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.connect.Receiver;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** An update step sets a trait on the profile: an identify through the source {@code journeys}, kept in the step's commit. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyUpdateTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    JourneyUpdateTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void anUpdateStepSetsTheTrait() throws Exception {
        String yaml = """
                journeys:
                  - key: stage
                    owners: [marketing]
                    entry: { event: "event == 'Signed Up'" }
                    steps:
                      - update: { trait: welcome_stage, value: "'nurture'" }
                      - send: { destination: email_tool, message: { template: hello } }
                """;
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(
                        store, dir, Journeys.destination(receiver) + yaml, TestClock.standard())) {
            Journeys.send(
                    server,
                    List.of(
                            Journeys.identify("u-1", true, "{\"plan\": \"free\"}"),
                            Journeys.track("u-1", "Signed Up", "su-1", "{}")));
            server.awaitProcessed();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                server.awaitProcessed();
                assertThat(server.admin("/v1/profiles/user_id:u-1/traits")
                                .json()
                                .at("/traits/welcome_stage")
                                .asText())
                        .isEqualTo("nurture");
            });
            assertThat(Journeys.step(Journeys.stats(server, "stage"), "0")
                            .path("advanced")
                            .asLong())
                    .isEqualTo(1);
        }
    }
}
