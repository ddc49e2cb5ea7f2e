package dev.tandem.journey;

import static dev.tandem.journey.Journeys.identify;
import static dev.tandem.journey.Journeys.stats;
import static dev.tandem.journey.Journeys.track;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * A journey's goal, on both stores: a goal event converts the profile's instances entered within
 * the goal's window, once, including one entered by the same event or in the same batch; an
 * instance entered before the window is not converted, nor an instance of another profile.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyGoalTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    JourneyGoalTest(StoreKind store) {
        this.store = store;
    }

    private static final String YAML = """
            journeys:
              - key: welcome
                owners: [marketing]
                entry: { event: "type == 'identify'" }
                reentry: once
                goal: { event: "event == 'Order Completed'", within: 1d }
                steps:
                  - wait: 30d
              - key: thanks
                owners: [marketing]
                entry: { event: "event == 'Order Completed'", key: "properties.order_id" }
                reentry: once
                goal: { event: "event == 'Order Completed'", within: 1d }
                steps:
                  - wait: 30d
            """;

    @Test
    void goalEventsConvertInstancesEnteredWithinTheWindowOnce() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver();
                TestServer server =
                        TestServer.withWorkspace(store, dir, Journeys.destination(receiver) + YAML, clock)) {
            // late: entered, then orders after the window has passed
            Journeys.send(server, List.of(identify("late", true, "{}")));
            server.awaitProcessed();
            clock.advance(Duration.ofDays(2));
            // quick: enters and orders twice in one send (one batch); idle: enters, never orders
            Journeys.send(
                    server,
                    List.of(
                            identify("quick", true, "{}"),
                            track("quick", "Order Completed", "q1", "{\"order_id\": \"Q1\"}"),
                            track("quick", "Order Completed", "q2", "{\"order_id\": \"Q2\"}"),
                            identify("idle", true, "{}"),
                            track("late", "Order Completed", "l1", "{\"order_id\": \"L1\"}")));
            server.awaitProcessed();
            // quick orders again: nothing already converted changes, and the new instance converts
            Journeys.send(server, List.of(track("quick", "Order Completed", "q3", "{\"order_id\": \"Q3\"}")));
            server.awaitProcessed();

            assertThat(converted(server, "welcome", "quick")).containsExactly(true);
            assertThat(converted(server, "welcome", "idle")).containsExactly(false);
            assertThat(converted(server, "welcome", "late")).containsExactly(false);
            // each order enters "thanks" and is its own goal event
            assertThat(converted(server, "thanks", "quick")).containsExactly(true, true, true);
            assertThat(converted(server, "thanks", "late")).containsExactly(true);

            JsonNode welcome = stats(server, "welcome").path("goal");
            assertThat(welcome.path("journey").path("entered").asLong()
                            + welcome.path("holdout").path("entered").asLong())
                    .isEqualTo(3);
            assertThat(welcome.path("journey").path("converted").asLong()
                            + welcome.path("holdout").path("converted").asLong())
                    .isEqualTo(1);
        }
    }

    /** Whether each of the user's instances of the journey converted, in the order they entered. */
    private static List<Boolean> converted(TestServer server, String journey, String user) throws Exception {
        JsonNode instances = server.admin("/v1/journeys/" + journey + "/instances?profile=user_id:" + user)
                .json()
                .path("instances");
        List<Boolean> out = new java.util.ArrayList<>();
        instances.forEach(i -> out.add(i.path("converted").asBoolean()));
        return out;
    }
}
