package dev.tandem.change;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * tandem.yaml edited between starts: a high-tier addition stays out and pending across restarts
 * until two keys approve it, and is live from the start after; a low-tier edit applies at once; the
 * change routes refuse bad input, missing credentials and too little scope.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class FileChangesTest {
    private static final String SOURCES = "sources:\n  - name: test\n    writeKey: " + TestServer.WRITE_KEY + "\n";

    private final StoreKind store;

    @TempDir
    Path dir;

    FileChangesTest(StoreKind store) {
        this.store = store;
    }

    private static String audience(String name) {
        return """
                audiences:
                  - key: vips
                    name: %s
                    owners: [marketing]
                    condition: "event_count > 3"
                """.formatted(name);
    }

    private static String destination(Receiver receiver) {
        return """
                destinations:
                  - key: crm
                    type: webhook
                    owners: [marketing, it]
                    settings: { url: "%s", secret: "whsec_dGFuZGVtLXRlc3QtY2hhbmdlcy1zZWNyZXQtMDEyMzQ1Ng==" }
                    purposes: [analytics]
                    identifies: true
                """.formatted(receiver.url("/crm"));
    }

    @Test
    void aHighTierObjectAddedToTandemYamlStaysPendingAcrossRestartsUntilTwoKeysApproveIt() throws Exception {
        Path file = dir.resolve("tandem.yaml");
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, SOURCES + audience("VIPs"))) {
            String ann = Team.person(server, "ann", "marketing", "marketer");
            String bob = Team.person(server, "bob", "it", "steward");
            assertThat(server.admin("/v1/changes")
                            .json()
                            .path("changes")
                            .get(0)
                            .path("kind")
                            .asText())
                    .as("the first start records the workspace as it is")
                    .isEqualTo("workspace");

            server.restartWith(file, SOURCES + audience("Very important people") + destination(receiver));
            JsonNode pending = server.admin("/v1/changes?status=pending").json().path("changes");
            assertThat(pending.size()).isEqualTo(1);
            JsonNode change = pending.get(0);
            assertThat(change.path("kind").asText()).isEqualTo("destination");
            assertThat(change.path("origin").asText()).isEqualTo("file");
            assertThat(change.path("tier").asText()).isEqualTo("high");
            assertThat(change.path("author").path("caller").asText()).isEqualTo("file:tandem.yaml");
            assertThat(server.admin("/v1/destinations").body()).doesNotContain("\"crm\"");
            JsonNode renamed = server.admin("/v1/changes?status=applied&kind=audience")
                    .json()
                    .path("changes");
            assertThat(renamed.get(0).path("tier").asText())
                    .as("a rename is low tier: applied at once")
                    .isEqualTo("low");
            assertThat(server.admin("/v1/audiences").body()).contains("Very important people");

            server.restart();
            assertThat(server.admin("/v1/destinations").body())
                    .as("a restart does not bypass approval")
                    .doesNotContain("\"crm\"");
            assertThat(server.admin("/v1/changes?status=pending")
                            .json()
                            .path("changes")
                            .size())
                    .isEqualTo(1);

            long id = change.path("id").asLong();
            assertError(
                    Team.send(server, ann, "PUT", "/v1/changes/" + id, "{\"declaration\": {}}"), 409, "file_change");
            Team.send(server, ann, "POST", "/v1/changes/" + id + "/approve", "{}");
            Http.Response approved = Team.send(server, bob, "POST", "/v1/changes/" + id + "/approve", "{}");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            assertThat(approved.json().path("verdicts").size()).isEqualTo(2);
            assertThat(approved.json().path("status").asText()).isEqualTo("approved");

            server.restart();
            assertThat(server.admin("/v1/destinations/crm")
                            .json()
                            .path("owners")
                            .toString())
                    .isEqualTo("[\"marketing\",\"it\"]");
            assertThat(server.admin("/v1/changes/" + id).json().path("status").asText())
                    .isEqualTo("applied");
        }
    }

    @Test
    void theChangeRoutesRefuseBadInputMissingCredentialsAndTooLittleScope() throws Exception {
        try (TestServer server = TestServer.withWorkspace(store, dir, SOURCES)) {
            String ann = Team.person(server, "ann", "marketing", "marketer");
            String dan = Team.person(server, "dan", "marketing", "analyst");
            assertError(server.http().get("/v1/changes"), 401, "missing_token");
            assertError(server.http().post("/v1/changes", "{}"), 401, "missing_token");
            assertThat(Team.send(server, dan, "GET", "/v1/changes", null).status())
                    .isEqualTo(200);
            assertThat(Team.send(server, dan, "POST", "/v1/changes", "{}").status())
                    .isEqualTo(403);
            assertThat(server.http()
                            .post("/v1/changes", "{}", "Authorization", "Bearer " + TestServer.WRITE_KEY)
                            .status())
                    .isEqualTo(401);

            assertError(Team.send(server, ann, "POST", "/v1/changes", "[1]"), 400, "invalid_body");
            assertError(Team.send(server, ann, "POST", "/v1/changes", "{\"kind\": "), 400, "invalid_json");
            assertError(Team.send(server, ann, "POST", "/v1/changes", "{\"what\": 1}"), 400, "unknown_field");
            assertError(Team.send(server, ann, "POST", "/v1/changes", "{\"kind\": 5}"), 400, "missing_kind");
            assertError(
                    Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"spaceship\", \"key\": \"x\", \"remove\": true}"),
                    404,
                    "unknown_kind");
            assertError(
                    Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"destination\", \"key\": \"Bad Key\", \"remove\": true}"),
                    400,
                    "invalid_key");
            assertError(
                    Team.send(server, ann, "POST", "/v1/changes", "{\"kind\": \"destination\", \"key\": \"crm\"}"),
                    400,
                    "missing_declaration");
            assertError(
                    Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"destination\", \"key\": \"crm\", \"remove\": \"yes\"}"),
                    400,
                    "invalid_remove");
            assertError(
                    Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"destination\", \"key\": \"crm\", \"remove\": true}"),
                    404,
                    "unknown_object");
            Http.Response bad = Team.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"destination\", \"key\": \"crm\", \"declaration\": {\"type\": \"webhook\", \"owners\": [\"it\"], \"settings\": {\"url\": \"ftp://x\"}}}");
            assertError(bad, 400, "invalid_destination");
            assertThat(bad.json().path("error").path("field").asText()).startsWith("settings");
            assertError(
                    Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"destination\", \"key\": \"crm\", \"declaration\": {\"x\": \""
                                    + "a".repeat(300_000) + "\"}}"),
                    400,
                    "body_too_large");
            assertError(Team.send(server, ann, "GET", "/v1/changes/99", null), 404, "unknown_change");
            assertError(Team.send(server, ann, "GET", "/v1/changes/abc", null), 400, "invalid_id");
            assertError(Team.send(server, ann, "POST", "/v1/changes/99/approve", "{}"), 404, "unknown_change");
            assertError(Team.send(server, ann, "GET", "/v1/changes?status=maybe", null), 400, "invalid_status");
            assertError(Team.send(server, ann, "GET", "/v1/changes?limit=0", null), 400, "invalid_limit");
            assertError(
                    Team.send(server, ann, "POST", "/v1/changes/1/approve", "{\"comment\": 7}"),
                    400,
                    "invalid_comment");
        }
    }

    @Test
    void theWorkspaceRoutesAndADestinationsAnswerRefuseBadInputMissingCredentialsAndTooLittleScope() throws Exception {
        try (TestServer server = TestServer.withWorkspace(store, dir, SOURCES)) {
            String ann = Team.person(server, "ann", "marketing", "marketer");
            Http.Response auditor = server.adminSend(
                    "POST", "/v1/admin/tokens", "{\"name\": \"auditor\", \"scopes\": [\"audit:read\"]}");
            String audit = auditor.json().path("token").asText();

            assertError(server.http().get("/v1/workspace"), 401, "missing_token");
            assertError(server.http().post("/v1/workspace/plan", "{}"), 401, "missing_token");
            assertThat(Team.send(server, audit, "GET", "/v1/workspace", null).status())
                    .isEqualTo(403);
            assertThat(Team.send(server, audit, "POST", "/v1/workspace/plan", "{\"objects\": {}}")
                            .status())
                    .isEqualTo(403);
            assertThat(Team.send(server, ann, "GET", "/v1/workspace", null)
                            .json()
                            .has("objects"))
                    .isTrue();

            String plan = "/v1/workspace/plan";
            assertError(Team.send(server, ann, "POST", plan, "{}"), 400, "missing_objects");
            assertError(Team.send(server, ann, "POST", plan, "{\"objects\": []}"), 400, "missing_objects");
            assertError(
                    Team.send(server, ann, "POST", plan, "{\"objects\": {\"destination\": []}}"),
                    400,
                    "invalid_objects");
            assertError(
                    Team.send(server, ann, "POST", plan, "{\"objects\": {\"spaceship\": {}}}"), 404, "unknown_kind");
            assertError(
                    Team.send(server, ann, "POST", plan, "{\"objects\": {\"destination\": {\"Bad Key\": {}}}}"),
                    400,
                    "invalid_key");
            assertError(Team.send(server, ann, "POST", plan, "{\"objects\": {}, \"extra\": 1}"), 400, "unknown_field");
            assertError(Team.send(server, ann, "POST", plan, "{\"objects\": "), 400, "invalid_json");
            assertError(
                    Team.send(server, ann, "POST", plan, "{\"objects\": {\"x\": \"" + "a".repeat(300_000) + "\"}}"),
                    400,
                    "body_too_large");
            Http.Response invalid =
                    Team.send(server, ann, "POST", plan, "{\"objects\": {\"destination\": {\"crm\": {\"type\": 5}}}}");
            assertThat(invalid.status()).isEqualTo(200);
            assertThat(invalid.json().path("plan").get(0).path("action").asText())
                    .isEqualTo("invalid");

            assertError(server.http().get("/v1/destinations/crm"), 401, "missing_token");
            assertError(Team.send(server, audit, "GET", "/v1/destinations/crm", null), 401, "invalid_token");
            assertError(server.admin("/v1/destinations/crm"), 404, "unknown_destination");
            assertError(server.admin("/v1/destinations/" + "x".repeat(300)), 404, "unknown_destination");
        }
    }
}
