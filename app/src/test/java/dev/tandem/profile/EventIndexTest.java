package dev.tandem.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A profile's event listing from the index kept in its document and spilled chunks: longer than a
 * chunk, across processor batches, through a merge of two long histories, a replay and a restart.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class EventIndexTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    EventIndexTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void listingHoldsEveryEventOnceInOrderThroughSpillsMergesReplayAndRestart() {
        // small processor batches, so a history is spilled across many of them
        try (TestServer server = TestServer.withWorkspace(store, dir, "server:\n  processBatchSize: 7\n")) {
            List<String> sent = new ArrayList<>();
            // two customers with histories longer than a chunk, interleaved, in several HTTP batches
            for (int round = 0; round < 4; round++) {
                StringBuilder batch = new StringBuilder("{\"batch\":[");
                for (int i = 0; i < 10; i++) {
                    int n = round * 10 + i;
                    batch.append(i == 0 ? "" : ",").append(track("\"userId\":\"ann\"", "a-" + n));
                    batch.append(",").append(track("\"anonymousId\":\"web-1\"", "b-" + n));
                    sent.add("a-" + n);
                    sent.add("b-" + n);
                }
                assertThat(server.track("/v1/batch", batch.append("]}").toString())
                                .status())
                        .isEqualTo(200);
                server.awaitProcessed();
            }
            assertThat(listing(server, "anonymous_id:web-1", 25, false)).hasSize(40);
            // the identify links both: the anonymous history is merged into ann's (or ann's into it)
            String identify =
                    "{\"type\":\"identify\",\"userId\":\"ann\",\"anonymousId\":\"web-1\",\"messageId\":\"join\","
                            + "\"traits\":{\"plan\":\"gold\"}}";
            assertThat(server.track("/v1/identify", identify).status()).isEqualTo(200);
            sent.add("join");
            for (int n = 0; n < 5; n++) {
                assertThat(server.track("/v1/track", track("\"userId\":\"ann\"", "after-" + n))
                                .status())
                        .isEqualTo(200);
                sent.add("after-" + n);
            }
            server.awaitProcessed();

            assertThat(listing(server, "user_id:ann", 25, false)).isEqualTo(sent);
            assertThat(listing(server, "anonymous_id:web-1", 7, true)).isEqualTo(reversed(sent));
            assertThat(server.profile("user_id:ann", "metadata")
                            .json()
                            .path("events")
                            .asLong())
                    .isEqualTo(sent.size());

            assertThat(server.http()
                            .post("/v1/admin/replay", "", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                            .status())
                    .isEqualTo(202);
            server.awaitReplayed();
            assertThat(listing(server, "user_id:ann", 100, false))
                    .as("a replay from scratch lists the same")
                    .isEqualTo(sent);

            server.restart();
            assertThat(listing(server, "user_id:ann", 30, false))
                    .as("after a restart")
                    .isEqualTo(sent);
        }
    }

    private static String track(String who, String messageId) {
        return "{\"type\":\"track\",\"event\":\"Viewed\"," + who + ",\"messageId\":\"" + messageId + "\"}";
    }

    /** The message ids of a profile's events, every page of {@code limit}. */
    private static List<String> listing(TestServer server, String identifier, int limit, boolean newestFirst) {
        List<String> ids = new ArrayList<>();
        String next = "";
        while (true) {
            JsonNode page = server.profile(
                            identifier,
                            "events?limit=" + limit + (newestFirst ? "&order=desc" : "")
                                    + (next.isEmpty() ? "" : "&next=" + next))
                    .json();
            assertThat(page.has("data")).as(page.toString()).isTrue();
            page.path("data").forEach(e -> ids.add(e.path("messageId").asText()));
            if (!page.at("/cursor/has_more").asBoolean()) {
                return ids;
            }
            next = page.at("/cursor/next").asText();
        }
    }

    private static List<String> reversed(List<String> values) {
        List<String> out = new ArrayList<>(values);
        java.util.Collections.reverse(out);
        return out;
    }
}
