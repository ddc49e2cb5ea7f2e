package dev.tandem.audience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Audiences on timestamp literals (folded to epoch seconds when compiled) evaluate as the literal
 * says, whatever its offset: one instant written in UTC, in Paris and in New York time gives the
 * same members, in real time and in the background computation; a literal with a fraction of a
 * second (left as written) still evaluates; a profile seen exactly at the instant is not after it.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class TimestampLiteralAudienceTest {
    private static final String WORKSPACE = """
            audiences:
              - {key: after_utc, name: After, owners: [m], condition: 'last_seen > timestamp("2026-10-14T00:00:00Z")'}
              - {key: after_paris, name: After, owners: [m], condition: 'last_seen > timestamp("2026-10-14T02:00:00+02:00")'}
              - {key: from_new_york, name: From, owners: [m], condition: 'last_seen >= timestamp("2026-10-13T19:00:00-05:00")'}
              - {key: since_half_second, name: Since, owners: [m], condition: 'last_seen > timestamp("2026-10-13T23:59:59.500Z")'}
              - {key: first_before, name: First, owners: [m], condition: 'first_seen < timestamp("2026-10-14T00:00:00+00:00") && event_count >= 1'}
            """;

    private final StoreKind store;

    @TempDir
    Path dir;

    TimestampLiteralAudienceTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aLiteralMeansTheSameInstantInEveryOffset() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            seen(server, "u-before", "2026-10-13T23:59:59Z");
            seen(server, "u-at", "2026-10-14T02:00:00+02:00");
            seen(server, "u-after", "2026-10-13T19:00:01-05:00");
            server.awaitProcessed();
            String before = id(server, "u-before");
            String at = id(server, "u-at");
            String after = id(server, "u-after");

            assertThat(members(server, "after_utc")).containsExactly(after);
            assertThat(members(server, "after_paris")).containsExactly(after);
            assertThat(members(server, "from_new_york")).containsExactlyInAnyOrder(at, after);
            assertThat(members(server, "since_half_second")).containsExactlyInAnyOrder(at, after);
            assertThat(members(server, "first_before")).containsExactly(before);

            assertThat(server.adminSend("POST", "/v1/admin/audiences", """
                            {"key": "after_tokyo", "name": "After, computed later", "owners": ["m"],
                             "condition": "last_seen > timestamp(\\"2026-10-14T09:00:00+09:00\\")"}""").status())
                    .isEqualTo(201);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> server.admin("/v1/audiences/after_tokyo")
                            .json()
                            .path("status")
                            .asText()
                            .equals("ready"));
            assertThat(members(server, "after_tokyo")).containsExactly(after);
        }
    }

    private static void seen(TestServer server, String userId, String timestamp) {
        assertThat(server.track(
                                "/v1/track",
                                "{\"userId\": \"" + userId + "\", \"event\": \"Page Viewed\", \"timestamp\": \""
                                        + timestamp + "\"}")
                        .status())
                .isEqualTo(200);
    }

    private static String id(TestServer server, String userId) {
        return server.profile("user_id:" + userId, "metadata")
                .json()
                .path("profile_id")
                .asText();
    }

    private static Set<String> members(TestServer server, String key) {
        Set<String> ids = new TreeSet<>();
        JsonNode page =
                server.admin("/v1/audiences/" + key + "/members?limit=100").json();
        page.path("data").forEach(m -> ids.add(m.path("profile_id").asText()));
        return ids;
    }
}
