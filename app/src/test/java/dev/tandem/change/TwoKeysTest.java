package dev.tandem.change;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Changes approved by risk tier, through HTTP: a marketer's destination that would receive personal
 * data waits for two keys (never the author's own, never one side alone), a qualified approval's
 * condition is in force in what leaves afterwards, a medium-tier change needs the owning side, an
 * edit resets approvals, and the admin token applies at once with a change record.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class TwoKeysTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    TwoKeysTest(StoreKind store) {
        this.store = store;
    }

    static String destination(Receiver receiver, String path, boolean identifies, String owners) {
        return """
                {"type": "webhook", "owners": %s, "settings": {"url": "%s", "secret": "whsec_dGFuZGVtLXRlc3QtY2hhbmdlcy1zZWNyZXQtMDEyMzQ1Ng=="}, "purposes": ["analytics"],
                 "events": "type == 'track'", "identifies": %s}""".formatted(owners, receiver.url(path), identifies);
    }

    private static String proposal(String key, String declaration) {
        return "{\"kind\": \"destination\", \"key\": \"" + key + "\", \"declaration\": " + declaration + "}";
    }

    @Test
    void aMarketersPersonalDataDestinationWaitsForTwoKeysAndTheirConditionsHold() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, "")) {
            String ann = Team.person(server, "ann", "marketing", "marketer");
            String bob = Team.person(server, "bob", "it", "steward");
            String cat = Team.person(server, "cat", "marketing", "marketer");
            String dan = Team.person(server, "dan", "marketing", "analyst");

            Http.Response proposed = Team.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    proposal("crm", destination(receiver, "/crm", true, "[\"marketing\", \"it\"]")));
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(202);
            JsonNode change = proposed.json();
            long id = change.path("id").asLong();
            assertThat(change.path("status").asText()).isEqualTo("pending");
            assertThat(change.path("tier").asText()).isEqualTo("high");
            assertThat(change.path("tierRule").asText()).isEqualTo("personal-data-out");
            assertThat(change.path("author").path("person").asText()).isEqualTo("ann");
            assertThat(change.path("needs").size()).isEqualTo(2);
            assertThat(change.path("diff").findValuesAsText("path")).contains("identifies", "settings.url", "owners");
            assertThat(server.admin("/v1/destinations").body()).doesNotContain("\"crm\"");

            assertError(Team.send(server, ann, "POST", "/v1/changes/" + id + "/approve", "{}"), 403, "own_change");
            assertThat(Team.send(server, dan, "POST", "/v1/changes/" + id + "/approve", "{}")
                            .status())
                    .as("an analyst's token cannot even hold the scope")
                    .isEqualTo(403);
            assertError(server.adminSend("POST", "/v1/changes/" + id + "/approve", "{}"), 403, "person_required");

            Http.Response bobs = Team.send(
                    server,
                    bob,
                    "POST",
                    "/v1/changes/" + id + "/approve",
                    "{\"comment\": \"fine if hashed\", \"conditions\": {\"hash\": [\"email\"], \"expires\": \"30d\"}}");
            assertThat(bobs.status()).as(bobs.body()).isEqualTo(200);
            assertThat(bobs.json().path("status").asText())
                    .as("one key from IT alone does not apply it")
                    .isEqualTo("pending");
            assertThat(bobs.json().path("needs").toString())
                    .contains("marketing")
                    .doesNotContain("from it");
            assertThat(server.admin("/v1/destinations").body()).doesNotContain("\"crm\"");

            Http.Response cats = Team.send(server, cat, "POST", "/v1/changes/" + id + "/approve", "{}");
            assertThat(cats.status()).as(cats.body()).isEqualTo(200);
            assertThat(cats.json().path("status").asText()).isEqualTo("applied");
            assertThat(cats.json().path("verdicts").findValuesAsText("person")).containsExactly("bob", "cat");

            JsonNode live = server.admin("/v1/destinations/crm").json();
            assertThat(live.path("owners").toString()).isEqualTo("[\"marketing\",\"it\"]");
            assertThat(live.path("conditions").path("hash").toString()).isEqualTo("[\"email\"]");
            assertThat(live.path("conditions").path("expiresAt").asText()).isNotEmpty();

            server.track(
                    "/v1/identify",
                    "{\"userId\": \"u-1\", \"messageId\": \"i-1\", \"traits\": {\"email\": \"Ann@Example.com\", \"plan\": \"pro\"}}");
            server.awaitProcessed();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !bodies(receiver, "/crm").isEmpty());
            String sent = String.join("\n", bodies(receiver, "/crm"));
            assertThat(sent).doesNotContain("Ann@Example.com").doesNotContain("ann@example.com");
            assertThat(sent).contains(sha256("ann@example.com")).contains("pro");

            String trail = server.admin("/v1/audit?object=change:" + id).body();
            assertThat(trail)
                    .contains("change.proposed")
                    .contains("change.approved")
                    .contains("change.applied");
            String feed = server.admin("/v1/feed").body();
            assertThat(feed).contains("person:ann proposed to create the destination 'crm'");
            assertThat(server.admin("/v1/feed?topic=approvals").body()).contains("approved change " + id);
        }
    }

    @Test
    void aMediumTierChangeNeedsTheOwningSideAndAnEditResetsItsApprovals() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, "")) {
            String ann = Team.person(server, "ann", "marketing", "marketer");
            String bob = Team.person(server, "bob", "it", "steward");
            String cat = Team.person(server, "cat", "marketing", "marketer");
            String eve = Team.person(server, "eve", "it", "steward");

            Http.Response proposed = Team.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    proposal("events", destination(receiver, "/events", false, "[\"it\"]")));
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(202);
            long id = proposed.json().path("id").asLong();
            assertThat(proposed.json().path("tier").asText()).isEqualTo("medium");
            assertError(
                    Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            proposal("events", destination(receiver, "/e", false, "[\"it\"]"))),
                    409,
                    "change_pending");

            assertError(Team.send(server, cat, "POST", "/v1/changes/" + id + "/approve", "{}"), 403, "wrong_side");
            Http.Response approved = Team.send(server, bob, "POST", "/v1/changes/" + id + "/approve", "{}");
            assertThat(approved.json().path("status").asText()).isEqualTo("applied");

            // an edit of a pending proposal resets its approvals
            Http.Response again = Team.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    proposal("events", destination(receiver, "/events", true, "[\"it\"]")));
            long id2 = again.json().path("id").asLong();
            assertThat(again.json().path("tier").asText()).isEqualTo("high");
            Team.send(server, bob, "POST", "/v1/changes/" + id2 + "/approve", "{}");
            assertError(
                    Team.send(server, bob, "PUT", "/v1/changes/" + id2, "{\"declaration\": {}}"), 403, "not_author");
            Http.Response edited = Team.send(
                    server,
                    ann,
                    "PUT",
                    "/v1/changes/" + id2,
                    "{\"declaration\": " + destination(receiver, "/events2", true, "[\"it\"]") + "}");
            assertThat(edited.status()).as(edited.body()).isEqualTo(200);
            assertThat(edited.json().path("verdicts").size())
                    .as("approvals reset by the edit")
                    .isZero();
            assertThat(edited.json().path("needs").size()).isEqualTo(2);
            Team.send(server, eve, "POST", "/v1/changes/" + id2 + "/reject", "{\"comment\": \"not now\"}");
            assertThat(server.admin("/v1/changes/" + id2).json().path("status").asText())
                    .isEqualTo("rejected");
            assertError(Team.send(server, cat, "POST", "/v1/changes/" + id2 + "/approve", "{}"), 409, "not_pending");
            assertThat(server.admin("/v1/destinations/events")
                            .json()
                            .path("identifies")
                            .asBoolean())
                    .as("the rejected change left the destination as it was")
                    .isFalse();

            // withdrawing is the author's
            Http.Response third = Team.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"destination\", \"key\": \"events\", \"remove\": true}");
            long id3 = third.json().path("id").asLong();
            assertError(Team.send(server, bob, "POST", "/v1/changes/" + id3 + "/withdraw", null), 403, "not_author");
            assertThat(Team.send(server, ann, "POST", "/v1/changes/" + id3 + "/withdraw", null)
                            .json()
                            .path("status")
                            .asText())
                    .isEqualTo("withdrawn");
            assertThat(server.admin("/v1/changes?status=withdrawn")
                            .json()
                            .path("changes")
                            .size())
                    .isEqualTo(1);
        }
    }

    @Test
    void theAdminTokenAppliesAtOnceWithAChangeRecordAndLowTierEditsNeedNobody() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, "")) {
            Team.person(server, "bob", "it", "steward");
            Http.Response made = server.adminSend(
                    "POST",
                    "/v1/destinations",
                    "{\"key\": \"crm\", "
                            + destination(receiver, "/crm", true, "[\"it\"]").substring(1));
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            long id = made.json().path("change").asLong();
            JsonNode change = server.admin("/v1/changes/" + id).json();
            assertThat(change.path("status").asText()).isEqualTo("applied");
            assertThat(change.path("tier").asText()).isEqualTo("high");
            assertThat(change.path("author").path("caller").asText()).isEqualTo("admin");
            assertThat(change.path("note").asText()).contains("admin token");
        }
    }

    @Test
    void withAdminTokenAppliesOffTheAdminRoutesAnswer202AndChangeNothingUntilApproved() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, "server:\n  adminTokenApplies: false\n")) {
            Team.person(server, "bob", "it", "steward");
            Http.Response destination = server.adminSend(
                    "POST",
                    "/v1/destinations",
                    "{\"key\": \"crm\", "
                            + destination(receiver, "/crm", true, "[\"it\"]").substring(1));
            assertThat(destination.status()).as(destination.body()).isEqualTo(202);
            assertThat(destination.json().path("status").asText()).isEqualTo("pending");
            assertThat(destination.json().path("note").asText()).contains("the destination 'crm'");
            assertError(server.admin("/v1/destinations/crm"), 404, "unknown_destination");

            Http.Response audience = server.adminSend(
                    "POST",
                    "/v1/admin/audiences",
                    "{\"key\": \"vips\", \"name\": \"VIPs\", \"owners\": [\"it\"], \"condition\": \"event_count > 3\"}");
            assertThat(audience.status()).as(audience.body()).isEqualTo(202);
            assertThat(server.admin("/v1/audiences").body()).doesNotContain("\"vips\"");

            Http.Response plan = server.adminSend(
                    "PUT",
                    "/v1/tracking-plans/web",
                    "{\"sources\": [\"test\"], \"mode\": \"allow\", \"owners\": [\"it\"], \"events\": {}}");
            assertThat(plan.status()).as(plan.body()).isEqualTo(202);
            assertThat(server.admin("/v1/changes?status=pending")
                            .json()
                            .path("changes")
                            .size())
                    .isEqualTo(3);
            assertThat(server.admin("/v1/changes?status=pending")
                            .json()
                            .path("changes")
                            .get(0)
                            .path("author")
                            .path("caller")
                            .asText())
                    .isEqualTo("admin");
        }
    }

    private static java.util.List<String> bodies(Receiver receiver, String path) {
        return receiver.requests().stream()
                .filter(r -> r.path().equals(path))
                .map(Receiver.Request::body)
                .toList();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
