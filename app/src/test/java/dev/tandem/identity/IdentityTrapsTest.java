package dev.tandem.identity;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The traps of identity resolution, through the tracking API and the Profile API. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class IdentityTrapsTest extends ServerPerTest {

    IdentityTrapsTest(StoreKind store) {
        super(store);
    }

    @Test
    void aSharedDeviceUsedByTwoSignedInCustomersStaysTwoProfiles() {
        send(track("ann", "tablet-anon", "tablet-1", "2026-11-01T10:00:00Z"));
        send(track("bob", "tablet-anon", "tablet-1", "2026-11-01T11:00:00Z"));
        send(track(null, "tablet-anon", "tablet-1", "2026-11-01T12:00:00Z"));
        server.awaitProcessed();

        String ann = profileId("user_id:ann");
        String bob = profileId("user_id:bob");
        assertThat(ann).isNotEqualTo(bob);
        assertThat(ids("user_id:ann"))
                .contains("device_id:tablet-1", "anonymous_id:tablet-anon")
                .doesNotContain("user_id:bob");
        assertThat(ids("user_id:bob")).containsExactly("user_id:bob");
        assertThat(server.profile("user_id:bob", "merges").json().path("data")).isEmpty();
        assertThat(server.profile("user_id:bob", "events").json().path("data")).hasSize(1);
    }

    @Test
    void aBlockedPlaceholderNeverJoins() {
        send(identify("ann", "anon-a", "{\"email\":\"test@test.com\",\"phone\":\"000-000-0000\"}"));
        send(identify("bob", "anon-b", "{\"email\":\"TEST@test.com \",\"phone\":\"0000000000\"}"));
        send(withTraits("anon-c", "2026-11-01T12:00:00Z", "{\"email\":\"test@test.com\"}"));
        server.awaitProcessed();

        assertThat(profileId("user_id:ann")).isNotEqualTo(profileId("user_id:bob"));
        assertThat(profileId("anonymous_id:anon-c")).isNotIn(profileId("user_id:ann"), profileId("user_id:bob"));
        assertError(server.profile("email:test@test.com", "traits"), 404, "profile_not_found");
        assertThat(server.admin("/metrics").body()).containsPattern("tandem_identity_blocked_total [1-9]");
    }

    @Test
    void emailAndPhoneFormatVariantsJoin() {
        send(identify("ann", "web-1", "{\"email\":\"Ann.Lee@Example.com\",\"phone\":\"(415) 555-2671\"}"));
        send(withTraits("pos-1", "2026-11-02T10:00:00Z", "{\"email\":\"  ann.lee@example.COM \"}"));
        send(withTraits("call-1", "2026-11-03T10:00:00Z", "{\"phone\":\"+1 415 555 2671\"}"));
        send(withTraits("call-2", "2026-11-04T10:00:00Z", "{\"phone\":\"415-555-2671\"}"));
        server.awaitProcessed();

        String ann = profileId("user_id:ann");
        for (String id : List.of(
                "email:ann.lee@example.com",
                "email:ANN.LEE@example.com",
                "phone:+14155552671",
                "phone:4155552671",
                "anonymous_id:pos-1",
                "anonymous_id:call-1",
                "anonymous_id:call-2",
                "profile_id:" + ann)) {
            assertThat(profileId(id)).as(id).isEqualTo(ann);
        }
        assertThat(server.profile("user_id:ann", "events").json().path("data")).hasSize(4);
    }

    @Test
    void aliasJoinsTheAnonymousProfileToTheUserAndRecordsTheMerge() {
        send(track(null, "anon-9", null, "2026-11-01T09:00:00Z"));
        send(track("carol", "other-anon", null, "2026-11-01T09:30:00Z"));
        server.awaitProcessed();
        String anonymous = profileId("anonymous_id:anon-9");
        String carol = profileId("user_id:carol");
        assertThat(anonymous).isNotEqualTo(carol);

        send(
                "{\"type\":\"alias\",\"previousId\":\"anon-9\",\"userId\":\"carol\",\"messageId\":\"alias-1\",\"timestamp\":\"2026-11-01T10:00:00Z\"}");
        server.awaitProcessed();

        assertThat(profileId("anonymous_id:anon-9")).isEqualTo(profileId("user_id:carol"));
        assertThat(profileId("profile_id:" + anonymous)).isEqualTo(profileId("profile_id:" + carol));
        JsonNode merges = server.profile("user_id:carol", "merges").json().path("data");
        assertThat(merges).hasSize(1);
        assertThat(merges.get(0).path("message_id").asText()).isEqualTo("alias-1");
        assertThat(merges.get(0).path("identifier").path("type").asText()).isIn("anonymous_id", "user_id");
        assertThat(server.profile("user_id:carol", "events").json().path("data"))
                .hasSize(3);
    }

    @Test
    void theProfileApiExplainsMissesAndBadRequests() {
        send(track("dave", "anon-d", null, "2026-11-01T09:00:00Z"));
        server.awaitProcessed();
        assertError(server.profile("user_id:nobody", "traits"), 404, "profile_not_found");
        assertError(server.profile("no-colon", "traits"), 400, "invalid_identifier");
        assertError(server.profile("user_id:dave", "events?limit=0"), 400, "invalid_limit");
        assertError(server.profile("user_id:dave", "events?next=abc"), 400, "invalid_cursor");
        assertError(server.http().get("/v1/profiles/user_id:dave/traits"), 401, "missing_token");
        assertError(
                server.http().get("/v1/profiles/user_id:dave/traits", "Authorization", "Bearer nope"),
                401,
                "invalid_token");
    }

    private String profileId(String identifier) {
        var response = server.profile(identifier, "traits");
        assertThat(response.status()).as(identifier + ": " + response.body()).isEqualTo(200);
        return response.json().path("profile_id").asText();
    }

    private List<String> ids(String identifier) {
        List<String> out = new ArrayList<>();
        server.profile(identifier, "external_ids")
                .json()
                .path("data")
                .forEach(i ->
                        out.add(i.path("type").asText() + ":" + i.path("id").asText()));
        return out;
    }

    private void send(String event) {
        assertThat(server.track("/v1/batch", "{\"batch\":[" + event + "]}").status())
                .isEqualTo(200);
    }

    static String track(String userId, String anonymousId, String deviceId, String timestamp) {
        return "{\"type\":\"track\",\"event\":\"Product Viewed\",\"anonymousId\":\"" + anonymousId + "\""
                + (userId == null ? "" : ",\"userId\":\"" + userId + "\"")
                + ",\"timestamp\":\"" + timestamp + "\",\"context\":{"
                + (deviceId == null ? "" : "\"device\":{\"id\":\"" + deviceId + "\"}") + "}}";
    }

    static String withTraits(String anonymousId, String timestamp, String contextTraits) {
        return "{\"type\":\"track\",\"event\":\"Order Completed\",\"anonymousId\":\"" + anonymousId
                + "\",\"timestamp\":\"" + timestamp + "\",\"context\":{\"traits\":" + contextTraits + "}}";
    }

    static String identify(String userId, String anonymousId, String traits) {
        return "{\"type\":\"identify\",\"userId\":\"" + userId + "\",\"anonymousId\":\"" + anonymousId
                + "\",\"traits\":" + traits + ",\"timestamp\":\"2026-11-01T08:00:00Z\"}";
    }
}
