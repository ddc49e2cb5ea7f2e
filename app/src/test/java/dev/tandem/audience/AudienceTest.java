package dev.tandem.audience;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Audiences through HTTP: real-time entry and exit with their events, background computation, the API, bad conditions. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AudienceTest {
    private static final String WORKSPACE = """
            profiles:
              computedTraits:
                - name: orders
                  aggregate: count
                  event: Order Completed
                - name: spent
                  aggregate: sum
                  property: properties.revenue
                - name: last_order
                  aggregate: last
                  property: properties.revenue
                  event: Order Completed
            audiences:
              - key: pro_plan
                name: Pro plan
                owners: [marketing]
                condition: traits.plan == "pro"
              - key: repeat_buyers
                name: Repeat buyers
                owners: [marketing, analytics]
                condition: computed.orders >= 2 && computed.spent > 100
                description: Two orders or more, over 100 in all.
            """;

    private final StoreKind store;

    @TempDir
    Path dir;

    AudienceTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aTraitChangeMovesTheProfileInAndOutWithItsEvents() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            identify(server, "u-1", "{\"plan\": \"basic\"}");
            server.awaitProcessed();
            assertThat(audiencesOf(server, "user_id:u-1")).isEmpty();

            identify(server, "u-1", "{\"plan\": \"pro\"}");
            server.awaitProcessed();
            assertThat(audiencesOf(server, "user_id:u-1")).containsExactly("pro_plan");
            JsonNode events =
                    server.admin("/v1/audiences/pro_plan/events").json().path("data");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).path("event").asText()).isEqualTo("Audience Entered");
            assertThat(events.get(0).at("/properties/audience_key").asText()).isEqualTo("pro_plan");
            assertThat(events.get(0).path("profile_id").asText()).isEqualTo(profileId(server, "user_id:u-1"));
            assertThat(server.admin("/v1/audiences/pro_plan")
                            .json()
                            .path("size")
                            .asLong())
                    .isEqualTo(1);

            track(server, "u-1", "Order Completed", 60);
            track(server, "u-1", "Order Completed", 70);
            identify(server, "u-1", "{\"plan\": \"basic\"}");
            server.awaitProcessed();
            assertThat(audiencesOf(server, "user_id:u-1")).containsExactly("repeat_buyers");
            List<String> names = new ArrayList<>();
            server.admin("/v1/audiences/pro_plan/events")
                    .json()
                    .path("data")
                    .forEach(e -> names.add(e.path("event").asText()));
            assertThat(names).containsExactly("Audience Entered", "Audience Exited");
            assertThat(server.admin("/v1/audiences/pro_plan")
                            .json()
                            .path("size")
                            .asLong())
                    .isZero();
            JsonNode history =
                    server.admin("/v1/audiences/repeat_buyers/history").json();
            assertThat(history.path("data")
                            .get(history.path("data").size() - 1)
                            .path("size")
                            .asLong())
                    .isEqualTo(1);

            server.restart();
            assertThat(audiencesOf(server, "user_id:u-1")).containsExactly("repeat_buyers");
        }
    }

    @Test
    void backgroundComputationEqualsRealTimeMembership() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            for (int i = 0; i < 120; i++) {
                identify(server, "c-" + i, "{\"plan\": \"" + (i % 3 == 0 ? "pro" : "basic") + "\"}");
                for (int k = 0; k < i % 4; k++) {
                    track(server, "c-" + i, "Order Completed", 30 + i);
                }
            }
            server.awaitProcessed();
            Http.Response created = server.adminSend("POST", "/v1/admin/audiences", """
                    {"key": "repeat_copy", "name": "Repeat buyers, computed later", "owners": ["marketing"],
                     "condition": "computed.orders >= 2 && computed.spent > 100"}""");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            awaitReady(server, "repeat_copy");

            Set<String> realTime = members(server, "repeat_buyers");
            assertThat(realTime).hasSizeGreaterThan(20);
            assertThat(members(server, "repeat_copy")).isEqualTo(realTime);
            JsonNode entered = server.admin("/v1/audiences/repeat_copy/events?limit=1000")
                    .json()
                    .path("data");
            assertThat(entered).hasSize(realTime.size());

            // editing the condition recomputes: members that no longer match leave
            assertThat(server.adminSend("PUT", "/v1/admin/audiences/repeat_copy", """
                    {"name": "Three orders", "owners": ["marketing"], "condition": "computed.orders >= 3"}""")
                            .status())
                    .isEqualTo(200);
            awaitReady(server, "repeat_copy");
            Set<String> three = members(server, "repeat_copy");
            assertThat(three).hasSize(30).isNotEqualTo(realTime);

            JsonNode preview = server.http()
                    .post(
                            "/v1/audiences/preview",
                            "{\"condition\": \"computed.orders >= 3\"}",
                            "Authorization",
                            "Bearer " + TestServer.ADMIN_TOKEN)
                    .json();
            assertThat(preview.path("estimated_size").asLong()).isEqualTo(30);
            assertThat(preview.path("exact").asBoolean()).isTrue();
            assertThat(preview.path("sample")).hasSize(10);
            assertThat(preview.path("sample")
                            .get(0)
                            .at("/identifiers/user_id/0")
                            .asText())
                    .startsWith("c-");

            String csv =
                    server.admin("/v1/audiences/repeat_copy/members?format=csv").body();
            assertThat(csv.lines().count()).isEqualTo(31);
            assertThat(csv.lines().findFirst().orElseThrow())
                    .isEqualTo("profile_id,entered_at,user_id,email,phone,other_identifiers");

            assertThat(server.adminSend("DELETE", "/v1/admin/audiences/repeat_copy", null)
                            .status())
                    .isEqualTo(204);
            assertError(server.admin("/v1/audiences/repeat_copy"), 404, "audience_not_found");
            assertError(
                    server.adminSend(
                            "PUT",
                            "/v1/admin/audiences/pro_plan",
                            "{\"name\": \"x\", \"owners\": [\"m\"], \"condition\": \"true\"}"),
                    409,
                    "declared_in_workspace");
        }
    }

    @Test
    void badConditionsAreRefusedAndRuntimeFailuresStayWithTheirProfile() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            Http.Response bad = server.adminSend(
                    "POST",
                    "/v1/admin/audiences",
                    "{\"key\": \"broken\", \"name\": \"Broken\", \"owners\": [\"m\"], \"condition\": \"traits.plan == \"}");
            assertError(bad, 400, "invalid_expression");
            assertThat(bad.json().at("/error/message").asText()).contains("line 1, column 16");
            assertThat(bad.json().at("/error/field").asText()).isEqualTo("condition");
            Http.Response unknown = server.adminSend(
                    "POST",
                    "/v1/admin/audiences",
                    "{\"key\": \"broken\", \"name\": \"Broken\", \"owners\": [\"m\"], \"condition\": \"audiences.size() > 0\"}");
            assertError(unknown, 400, "invalid_expression");
            assertThat(unknown.json().at("/error/message").asText())
                    .contains("'audiences' is not something")
                    .contains("traits, computed");
            Http.Response broken = server.adminSend("POST", "/v1/admin/audiences", "{\"key\": ");
            assertError(broken, 400, "invalid_json");
            assertThat(broken.json().at("/error/message").asText())
                    .contains("line 1")
                    .contains("\"condition\"");
            assertError(server.http().get("/v1/audiences"), 401, "missing_token");
            assertError(
                    server.adminSend(
                            "POST",
                            "/v1/admin/audiences",
                            "{\"key\": \"not a key\", \"name\": \"x\", \"owners\": [\"m\"], \"condition\": \"true\"}"),
                    400,
                    "invalid_audience");

            assertThat(server.adminSend(
                                    "POST",
                                    "/v1/admin/audiences",
                                    "{\"key\": \"over_30\", \"name\": \"Over 30\", \"owners\": [\"m\"], \"condition\": \"traits.age > 30\"}")
                            .status())
                    .isEqualTo(201);
            assertThat(server.adminSend(
                                    "POST",
                                    "/v1/admin/audiences",
                                    "{\"key\": \"recent_big_order\", \"name\": \"Big last order\", "
                                            + "\"owners\": [\"m\"], \"condition\": \"has(computed.last_order) && computed.last_order > 50\"}")
                            .status())
                    .isEqualTo(201);
            identify(server, "no-age", "{\"plan\": \"pro\"}");
            identify(server, "text-age", "{\"age\": \"forty\"}");
            identify(server, "old", "{\"age\": 41}");
            server.awaitProcessed();
            awaitReady(server, "over_30");
            assertThat(audiencesOf(server, "user_id:no-age")).containsExactly("pro_plan");
            assertThat(audiencesOf(server, "user_id:text-age")).isEmpty();
            assertThat(audiencesOf(server, "user_id:old")).containsExactly("over_30");
            JsonNode over30 = server.admin("/v1/audiences/over_30").json();
            assertThat(over30.at("/failures/count").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(over30.at("/failures/last").asText()).isNotBlank();
            // a computed trait without a value is absent, so has() guards it and nothing fails
            awaitReady(server, "recent_big_order");
            assertThat(server.admin("/v1/audiences/recent_big_order")
                            .json()
                            .at("/failures/count")
                            .asLong())
                    .isZero();
        }
    }

    private static void identify(TestServer server, String userId, String traits) {
        assertThat(server.track("/v1/identify", "{\"userId\": \"" + userId + "\", \"traits\": " + traits + "}")
                        .status())
                .isEqualTo(200);
    }

    private static void track(TestServer server, String userId, String event, double revenue) {
        assertThat(server.track(
                                "/v1/track",
                                "{\"userId\": \"" + userId + "\", \"event\": \"" + event
                                        + "\", \"properties\": {\"revenue\": " + revenue + "}}")
                        .status())
                .isEqualTo(200);
    }

    private static List<String> audiencesOf(TestServer server, String id) {
        List<String> keys = new ArrayList<>();
        server.profile(id, "audiences")
                .json()
                .path("data")
                .forEach(a -> keys.add(a.path("key").asText()));
        return keys;
    }

    private static String profileId(TestServer server, String id) {
        return server.profile(id, "metadata").json().path("profile_id").asText();
    }

    private static void awaitReady(TestServer server, String key) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> server.admin("/v1/audiences/" + key)
                        .json()
                        .path("status")
                        .asText()
                        .equals("ready"));
    }

    private static Set<String> members(TestServer server, String key) {
        Set<String> ids = new TreeSet<>();
        String next = "";
        do {
            JsonNode page = server.admin(
                            "/v1/audiences/" + key + "/members?limit=7" + (next.isEmpty() ? "" : "&next=" + next))
                    .json();
            page.path("data").forEach(m -> ids.add(m.path("profile_id").asText()));
            next = page.at("/cursor/next").asText();
        } while (!next.isEmpty());
        return ids;
    }
}
