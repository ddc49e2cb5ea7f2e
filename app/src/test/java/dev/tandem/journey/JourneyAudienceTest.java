package dev.tandem.journey;

import static dev.tandem.journey.Journeys.identify;
import static dev.tandem.journey.Journeys.stats;
import static dev.tandem.journey.Journeys.step;
import static dev.tandem.journey.Journeys.templates;
import static dev.tandem.journey.Journeys.track;
import static dev.tandem.journey.Journeys.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Journeys and audiences, on the test clock and both stores: a {@code wait_for} an audience wakes
 * when the profile enters it (here because another journey's {@code update} set the trait the
 * audience reads), goes on at once for a profile already in it, and times out for the others; an
 * instance of a journey with {@code exitWhen: { leftAudience }} exits when its profile leaves.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyAudienceTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    JourneyAudienceTest(StoreKind store) {
        this.store = store;
    }

    private static String workspace(Receiver receiver) {
        return Journeys.destination(receiver) + """
                audiences:
                  - key: vip
                    name: VIP
                    owners: [marketing]
                    condition: "has(traits.tier) && traits.tier == 'vip'"
                  - key: active
                    name: Active
                    owners: [marketing]
                    condition: "has(traits.active) && traits.active == true"
                journeys:
                  - key: promote
                    owners: [marketing]
                    entry: { event: "event == 'Bought'" }
                    steps:
                      - update: { trait: tier, value: "'vip'" }
                  - key: upgrade
                    owners: [marketing]
                    entry: { event: "event == 'Signed Up'" }
                    steps:
                      - wait_for: { audience: vip, timeout: 3d, on_timeout: [ { send: { destination: email_tool, message: { template: nudge } } } ] }
                      - send: { destination: email_tool, message: { template: welcome_vip } }
                  - key: members
                    owners: [marketing]
                    entry: { audience: active }
                    exitWhen: { leftAudience: active }
                    steps:
                      - wait: 2d
                      - send: { destination: email_tool, message: { template: still_active } }
                """;
    }

    @Test
    void waitForAnAudienceAndExitOnLeavingOne() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver), clock)) {
            Journeys.send(
                    server,
                    List.of(
                            identify("ann", true, "{}"),
                            identify("bo", true, "{\"tier\": \"vip\"}"),
                            identify("cy", true, "{}"),
                            identify("di", true, "{\"active\": true}"),
                            identify("ed", true, "{\"active\": true}"),
                            track("ann", "Signed Up", "s-ann", "{}"),
                            track("bo", "Signed Up", "s-bo", "{}"),
                            track("cy", "Signed Up", "s-cy", "{}")));
            server.awaitProcessed();
            // bo is a vip when the step is reached: on at once; ann and cy wait
            until(
                    server,
                    "upgrade",
                    s -> step(s, "1").path("sent").asLong() == 1
                            && step(s, "0").path("waiting").asLong() == 2);
            until(server, "members", s -> step(s, "0").path("waiting").asLong() == 2);

            // ann buys: another journey's update sets the trait vip reads, she enters it, her wait ends
            Journeys.send(server, List.of(track("ann", "Bought", "b-ann", "{}")));
            server.awaitProcessed();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                server.awaitProcessed();
                assertThat(step(stats(server, "upgrade"), "1").path("sent").asLong())
                        .isEqualTo(2);
            });
            assertThat(server.admin("/v1/profiles/user_id:ann/audiences").body())
                    .contains("vip");

            // di stops being active: her instance exits wherever it is
            Journeys.send(
                    server,
                    List.of("{\"type\": \"identify\", \"userId\": \"di\", \"messageId\": \"di-inactive\","
                            + " \"traits\": {\"active\": false}}"));
            server.awaitProcessed();
            until(server, "members", s -> step(s, "0").path("exited").asLong() == 1);
            JsonNode di = server.admin("/v1/journeys/members/instances?profile=user_id:di")
                    .json()
                    .at("/instances/0");
            assertThat(di.path("status").asText()).isEqualTo("exited");
            assertThat(di.path("exitReason").asText()).isEqualTo("left audience");

            // three days on: cy timed out (nudge, then on); ed is still active and gets the second send
            clock.advance(Duration.ofDays(3).plusMinutes(1));
            until(server, "upgrade", s -> step(s, "1").path("sent").asLong() == 3);
            until(server, "members", s -> step(s, "1").path("sent").asLong() == 1);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Journeys.received(receiver).size() == 5);
            Map<String, List<String>> got = templates(receiver);
            assertThat(got.get("ann")).containsExactly("welcome_vip");
            assertThat(got.get("bo")).containsExactly("welcome_vip");
            assertThat(got.get("cy")).containsExactly("nudge", "welcome_vip");
            assertThat(got.get("ed")).containsExactly("still_active");
            assertThat(got).doesNotContainKey("di");
            assertThat(step(stats(server, "upgrade"), "0/0/0").path("sent").asLong())
                    .isEqualTo(1);
        }
    }

    /**
     * An instance entered on an audience has no entering event: its branch and its update read the
     * profile alone, live and in the dry run (both once failed on the missing event, and the live
     * slice was retried for ever).
     */
    @Test
    void anAudienceEntryBranchesOnTheProfileLiveAndInTheDryRun() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, Journeys.destination(receiver) + """
                                audiences:
                                  - { key: customers, name: Customers, owners: [marketing], condition: "has(traits.plan)" }
                                journeys:
                                  - key: tiers
                                    owners: [marketing]
                                    entry: { audience: customers }
                                    steps:
                                      - branch:
                                          - when: "traits.plan == 'pro'"
                                            steps: [ { send: { destination: email_tool, message: { template: pro } } } ]
                                          - otherwise: true
                                            steps: [ { send: { destination: email_tool, message: { template: basic } } } ]
                                      - update: { trait: greeted, value: "traits.plan + '-yes'" }
                                """, clock)) {
            server.adminSend("POST", "/v1/journeys/tiers/pause", "");
            Journeys.send(
                    server,
                    List.of(
                            identify("ann", true, "{\"plan\": \"pro\"}"),
                            identify("bo", true, "{\"plan\": \"basic\"}"),
                            identify("cy", true, "{\"plan\": \"basic\"}")));
            server.awaitProcessed();

            JsonNode dry =
                    server.adminSend("POST", "/v1/journeys/tiers/dryrun", "").json();
            assertThat(dry.path("entered").asLong()).as(dry.toString()).isEqualTo(3);
            assertThat(dry.path("finished").asLong()).as(dry.toString()).isEqualTo(3);

            server.adminSend("POST", "/v1/journeys/tiers/resume", "");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Journeys.received(receiver).size() == 3);
            Map<String, List<String>> got = templates(receiver);
            assertThat(got.get("ann")).containsExactly("pro");
            assertThat(got.get("bo")).containsExactly("basic");
            assertThat(got.get("cy")).containsExactly("basic");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                server.awaitProcessed();
                assertThat(server.admin("/v1/profiles/user_id:ann/traits")
                                .json()
                                .at("/traits/greeted")
                                .asText())
                        .isEqualTo("pro-yes");
            });
        }
    }
}
