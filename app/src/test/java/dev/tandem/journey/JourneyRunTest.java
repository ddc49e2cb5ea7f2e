package dev.tandem.journey;

import static dev.tandem.journey.Journeys.received;
import static dev.tandem.journey.Journeys.sent;
import static dev.tandem.journey.Journeys.stats;
import static dev.tandem.journey.Journeys.step;
import static dev.tandem.journey.Journeys.templates;
import static dev.tandem.journey.Journeys.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A five-step welcome journey with waits of days, run on the test clock over thousands of
 * profiles: every profile's path is the one its plan implies, the holdout receives nothing, the
 * receiver's deduplicated messages equal the journey's sent count, goal conversions are measured
 * against the holdout, and the dry run before the live run counted what the live run then did.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyRunTest {
    /** 10,000 on SQLite; 2,000 on PostgreSQL, which runs the same paths and keeps the suite short. */
    private final int profiles;

    private final StoreKind store;

    @TempDir
    Path dir;

    JourneyRunTest(StoreKind store) {
        this.store = store;
        this.profiles = store == StoreKind.SQLITE ? 10_000 : 2_000;
    }

    static String workspace(Receiver receiver) {
        return Journeys.destination(receiver) + """
                journeys:
                  - key: welcome
                    name: Welcome series
                    owners: [marketing, it]
                    entry: { event: "event == 'Signed Up'" }
                    reentry: once
                    holdout: 10
                    goal: { event: "event == 'Order Completed'", within: 14d }
                    steps:
                      - send: { destination: email_tool, message: { template: welcome_1 } }
                      - wait: 2d
                      - branch:
                          - when: "has(traits.plan) && traits.plan == 'pro'"
                            steps: [ { send: { destination: email_tool, message: { template: pro_tips } } }, { exit: pro } ]
                      - send: { destination: email_tool, message: { template: welcome_2 } }
                      - wait: 3d
                      - send: { destination: email_tool, message: { template: welcome_3 } }
                """;
    }

    @Test
    void tenThousandProfilesFollowTheirPaths() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver), clock)) {
            List<String> identifies = new ArrayList<>();
            List<String> signups = new ArrayList<>();
            for (int i = 0; i < profiles; i++) {
                String plan = i % 3 == 0 ? "pro" : "free";
                identifies.add(Journeys.identify("u-" + i, true, "{\"plan\": \"" + plan + "\"}"));
                signups.add(Journeys.track("u-" + i, "Signed Up", "su-" + i, "{}"));
            }
            // the profiles exist before they sign up: the dry run sees them without entering anyone
            Journeys.send(server, identifies);
            server.awaitProcessed();
            Journeys.send(server, signups);
            server.awaitProcessed();
            JsonNode dry = server.adminSend("POST", "/v1/journeys/welcome/dryrun?days=7", "")
                    .json();
            assertThat(dry.path("entered").asLong()).isEqualTo(profiles);

            // every instance waits at step 1, the held-out ones too (they pass the sends without sending)
            until(server, "welcome", s -> step(s, "1").path("waiting").asLong() >= profiles);
            JsonNode first = stats(server, "welcome");
            long held = first.path("goal").path("holdout").path("entered").asLong();
            assertThat(held).isBetween(profiles / 20L, profiles / 5L);
            assertThat(step(first, "0").path("sent").asLong()).isEqualTo(profiles - held);

            // a tenth of the profiles convert, in the journey and in the holdout alike
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < profiles; i += 10) {
                orders.add(Journeys.track("u-" + i, "Order Completed", "oc-" + i, "{}"));
            }
            Journeys.send(server, orders);
            server.awaitProcessed();

            clock.advance(Duration.ofDays(2).plusMinutes(1));
            until(
                    server,
                    "welcome",
                    s -> step(s, "4").path("waiting").asLong()
                                    + step(s, "2/0/1").path("exited").asLong()
                            >= profiles);
            clock.advance(Duration.ofDays(3).plusMinutes(1));
            until(
                    server,
                    "welcome",
                    s -> step(s, "5").path("sent").asLong()
                                    + step(s, "5").path("held").asLong()
                                    + step(s, "2/0/1").path("exited").asLong()
                            >= profiles);
            JsonNode end = stats(server, "welcome");

            // the dry run counted what the live run then did, step by step
            for (JsonNode s : dry.path("steps")) {
                JsonNode live = step(end, s.path("step").asText());
                for (String n : List.of("entered", "advanced", "exited", "sent", "capped", "held")) {
                    assertThat(live.path(n).asLong())
                            .as("step %s %s", s.path("step").asText(), n)
                            .isEqualTo(s.path(n).asLong());
                }
            }

            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> received(receiver).size() == sent(end));
            Map<String, List<String>> paths = templates(receiver);
            assertThat(paths).hasSize((int) (profiles - held));
            paths.forEach((user, templates) -> {
                int i = Integer.parseInt(user.substring(2));
                assertThat(templates)
                        .as(user)
                        .containsExactlyElementsOf(
                                i % 3 == 0
                                        ? List.of("welcome_1", "pro_tips")
                                        : List.of("welcome_1", "welcome_2", "welcome_3"));
            });
            for (JsonNode m : received(receiver).values()) {
                assertThat(m.path("event").asText()).isEqualTo("Journey Step");
                assertThat(m.path("messageId").asText())
                        .isEqualTo(m.path("properties").path("send_id").asText());
            }

            JsonNode goal = end.path("goal");
            assertThat(goal.path("journey").path("converted").asLong()
                            + goal.path("holdout").path("converted").asLong())
                    .isEqualTo(profiles / 10);
            assertThat(goal.path("low").asDouble())
                    .isLessThanOrEqualTo(goal.path("uplift").asDouble());
            assertThat(goal.path("high").asDouble())
                    .isGreaterThanOrEqualTo(goal.path("uplift").asDouble());
        }
    }
}
