package dev.tandem.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Audiences whose size moved by more than {@code audienceMovePercent} in a day are items of the
 * feed's {@code audiences} topic, from the {@code feed.audiences} job: a move under the share is not,
 * nor a move compared before a day has passed; growth and shrinking both are.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AudienceMovesTest {
    private static final String WORKSPACE = """
            server:
              audienceMovePercent: 30
            audiences:
              - key: pro_plan
                name: Pro plan
                owners: [marketing]
                condition: traits.plan == "pro"
              - key: basic_plan
                name: Basic plan
                owners: [marketing]
                condition: traits.plan == "basic"
            """;

    private final StoreKind store;
    private final TestClock clock = TestClock.standard();

    @TempDir
    Path dir;

    AudienceMovesTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aMoveOfMoreThanTheShareInADayIsAFeedItem() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, clock)) {
            plan(server, 0, 10, "pro");
            plan(server, 10, 20, "basic");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> sizes(server).equals(List.of(10L, 10L)));
            // a day on, the sizes are compared with those of the start (0, or none while computing) and
            // become the baseline
            advance(server, Duration.ofHours(25));
            int before = items(server).size();

            plan(server, 20, 24, "pro"); // 10 to 14: 40%
            plan(server, 24, 26, "basic"); // 10 to 12: 20%, under the share
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> sizes(server).equals(List.of(14L, 12L)));
            // less than a day after the baseline: nothing is compared yet
            advance(server, Duration.ofHours(23));
            assertThat(items(server)).hasSize(before);

            advance(server, Duration.ofHours(1));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> items(server).size() == before + 1);
            JsonNode item = server.admin("/v1/feed?topic=audiences")
                    .json()
                    .path("items")
                    .get(0);
            assertThat(item.path("title").asText())
                    .isEqualTo("The audience pro_plan grew by 40% in a day, from 10 to 14");
            assertThat(item.path("_tandem").path("object").asText()).isEqualTo("audience:pro_plan");
            assertThat(item.path("_tandem").path("urgent").asBoolean()).isFalse();
            assertThat(server.admin("/v1/audit?kind=audience.size_moved")
                            .json()
                            .at("/entries/0/actor")
                            .asText())
                    .isEqualTo("system");

            // the next day compares with the sizes of this one: 14 to 7 and 12 to 19
            plan(server, 3, 10, "basic");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> sizes(server).equals(List.of(7L, 19L)));
            advance(server, Duration.ofHours(24));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> items(server).size() == before + 3);
            assertThat(items(server).subList(0, 2))
                    .containsExactlyInAnyOrder(
                            "The audience pro_plan shrank by 50% in a day, from 14 to 7",
                            "The audience basic_plan grew by 58% in a day, from 12 to 19");
            // the feed filters by the topic, and a subscription may take it
            assertThat(server.adminSend(
                                    "POST",
                                    "/v1/admin/subscriptions",
                                    "{\"url\": \"https://192.0.2.10/hook\", \"topics\": [\"audiences\"]}")
                            .status())
                    .isEqualTo(201);
        }
    }

    /** Moves the clock on and waits for the hourly look to have run. */
    private void advance(TestServer server, Duration by) {
        clock.advance(by);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (JsonNode k : server.admin("/v1/admin/jobs").json().path("kinds")) {
                if (k.path("kind").asText().equals(AudienceMoves.KIND)) {
                    return k.path("due").asInt() == 0;
                }
            }
            return false;
        });
    }

    private static void plan(TestServer server, int from, int to, String plan) {
        for (int i = from; i < to; i++) {
            assertThat(server.track(
                                    "/v1/identify",
                                    "{\"userId\": \"u-" + i + "\", \"traits\": {\"plan\": \"" + plan + "\"}}")
                            .status())
                    .isEqualTo(200);
        }
        server.awaitProcessed();
    }

    /** The sizes of pro_plan and basic_plan, once both are computed. */
    private static List<Long> sizes(TestServer server) {
        List<Long> out = new ArrayList<>();
        for (String key : List.of("pro_plan", "basic_plan")) {
            JsonNode a = server.admin("/v1/audiences/" + key).json();
            out.add(a.path("status").asText().equals("ready") ? a.path("size").asLong() : -1);
        }
        return out;
    }

    private static List<String> items(TestServer server) {
        List<String> titles = new ArrayList<>();
        server.admin("/v1/feed?topic=audiences")
                .json()
                .path("items")
                .forEach(i -> titles.add(i.path("title").asText()));
        return titles;
    }
}
