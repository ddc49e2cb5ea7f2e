package dev.tandem.plan;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.ConfigException;
import dev.tandem.server.Workspace;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API of tracking plans and the file: every bad input a 400 naming the field, no
 * credentials, too little scope, huge bodies, plans of tandem.yaml changed only there, and the draft
 * that {@code tandem plans infer} prints.
 */
class TrackingPlanAdminTest {
    private static final String GOOD = "{\"sources\": [\"test\"], \"mode\": \"block\", \"owners\": [\"it-data\"], "
            + "\"events\": {\"Order Completed\": {\"type\": \"object\", \"required\": [\"total\"], "
            + "\"properties\": {\"total\": {\"type\": \"number\"}}}}}";

    @TempDir
    Path dir;

    @Test
    void everyBadInputIsA400NamingTheField() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            assertInvalid(server, GOOD.replace("\"block\"", "\"strict\""), "mode", "allow, omit, block");
            assertInvalid(server, GOOD.replace("\"mode\": \"block\", ", ""), "mode", "'mode'");
            assertInvalid(server, GOOD.replace("\"owners\": [\"it-data\"], ", ""), null, "owners");
            assertInvalid(server, GOOD.replace("[\"it-data\"]", "\"it-data\""), "owners", "must be a list");
            assertInvalid(server, GOOD.replace("[\"test\"]", "[]"), null, "sources");
            assertInvalid(server, GOOD.replace("[\"test\"]", "[\"Not A Source\"]"), "sources.0", "source name");
            assertInvalid(server, GOOD.replace("\"events\"", "\"colour\""), "colour", "unknown field");
            assertInvalid(
                    server,
                    GOOD.replace("\"number\"", "\"numeral\""),
                    "events.Order Completed",
                    "not a valid JSON Schema");
            assertInvalid(
                    server,
                    GOOD.replace("{\"type\": \"object\"", "[{\"type\": \"object\"")
                            .replace("}}}}}", "}}}]}}"),
                    "events.Order Completed",
                    "a schema");
            assertInvalid(server, GOOD.replace("\"mode\"", "\"key\": \"other\", \"mode\""), "key", "cannot change");
            Http.Response badKey = server.adminSend("PUT", "/v1/tracking-plans/Not%20A%20Key", GOOD);
            assertError(badKey, 400, "invalid_tracking_plan");
            assertThat(badKey.json().at("/error/message").asText()).contains("lower-case");
            assertError(server.adminSend("PUT", "/v1/tracking-plans/web", "{not json"), 400, "invalid_json");
            assertError(server.adminSend("PUT", "/v1/tracking-plans/web", "[1]"), 400, "invalid_body");
            assertError(
                    server.adminSend("PUT", "/v1/tracking-plans/web", GOOD.replace("[\"test\"]", "[\"nowhere\"]")),
                    400,
                    "unknown_source");
            String huge = GOOD.replace("\"mode\"", "\"padding\": \"" + "x".repeat(600_000) + "\", \"mode\"");
            assertError(server.adminSend("PUT", "/v1/tracking-plans/web", huge), 400, "body_too_large");
            String hugest = GOOD.replace("\"mode\"", "\"padding\": \"" + "x".repeat(3_000_000) + "\", \"mode\"");
            Http.Response tooLarge = server.adminSend("PUT", "/v1/tracking-plans/web", hugest);
            // past the server's 2 MB for any request, the HTTP layer refuses it before the route reads it
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.json().at("/error/message").asText()).isNotBlank();
            assertError(server.admin("/v1/tracking-plans/nope"), 404, "unknown_tracking_plan");
            assertError(server.adminSend("DELETE", "/v1/tracking-plans/nope", null), 404, "unknown_tracking_plan");
            assertError(server.admin("/v1/tracking-plans/nope/violations"), 404, "unknown_tracking_plan");

            assertThat(server.adminSend("PUT", "/v1/tracking-plans/web", GOOD).status())
                    .isEqualTo(201);
            assertError(server.adminSend("PUT", "/v1/tracking-plans/other", GOOD), 409, "source_has_plan");
            assertThat(server.admin("/v1/tracking-plans").json().path("plans").findValuesAsText("key"))
                    .containsExactly("web");
        }
    }

    @Test
    void noCredentialsAnApiTokenAndAMarketerAreRefused() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            String token = server.adminSend(
                            "POST",
                            "/v1/admin/tokens",
                            "{\"name\": \"reader\", \"scopes\": [\"profiles:read\"], \"purposes\": [\"analytics\"]}")
                    .json()
                    .path("token")
                    .asText();
            String link = server.adminSend(
                            "POST",
                            "/v1/admin/people",
                            "{\"name\": \"ann\", \"team\": \"marketing\", \"role\": \"marketer\"}")
                    .json()
                    .path("link")
                    .asText();
            String password = "correct horse battery staple";
            server.http()
                    .post("/v1/people/password", "{\"link\": \"" + link + "\", \"password\": \"" + password + "\"}");
            Http.Response signedIn = server.http()
                    .post(
                            "/v1/session",
                            "{\"name\": \"ann\", \"password\": \"" + password + "\"}",
                            "Content-Type",
                            "application/json");
            String cookie = signedIn.header("Set-Cookie");
            String csrf = signedIn.json().path("csrfToken").asText();
            String session = cookie.substring(0, cookie.indexOf(';'));
            for (String[] route : List.of(
                    new String[] {"GET", "/v1/tracking-plans"},
                    new String[] {"GET", "/v1/tracking-plans/web"},
                    new String[] {"PUT", "/v1/tracking-plans/web"},
                    new String[] {"DELETE", "/v1/tracking-plans/web"},
                    new String[] {"GET", "/v1/tracking-plans/web/violations"},
                    new String[] {"GET", "/v1/tracking-plan-drafts/test"})) {
                assertError(
                        server.http().send(request(server, route), "Content-Type", "application/json"),
                        401,
                        "missing_token");
                assertError(
                        server.http().send(request(server, route), "Authorization", "Bearer " + token),
                        401,
                        "invalid_token");
                assertError(
                        server.http()
                                .send(
                                        request(server, route),
                                        "Cookie",
                                        session,
                                        "X-CSRF-Token",
                                        csrf,
                                        "Content-Type",
                                        "application/json"),
                        403,
                        "missing_role");
            }
            assertThat(server.admin("/v1/tracking-plans").json().path("plans").size())
                    .isZero();
        }
    }

    private static HttpRequest.Builder request(TestServer server, String[] route) {
        return HttpRequest.newBuilder(URI.create(server.url() + route[1]))
                .method(
                        route[0],
                        route[0].equals("PUT")
                                ? HttpRequest.BodyPublishers.ofString(GOOD)
                                : HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void aPlanOfTandemYamlIsInForceAndChangedOnlyInTheFile() {
        String yaml = """
                sources:
                  - name: test
                    writeKey: wk_test_source_1
                trackingPlans:
                  - key: web
                    sources: [test]
                    mode: block
                    owners: [it-data, marketing-ops]
                    events:
                      Signed Up:
                        type: object
                        required: [plan]
                        properties:
                          plan: {type: string, maxLength: 10}
                """;
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, yaml)) {
            assertThat(server.admin("/v1/tracking-plans/web")
                            .json()
                            .path("origin")
                            .asText())
                    .isEqualTo("tandem.yaml");
            assertThat(server.track(
                                    "/v1/track",
                                    "{\"userId\": \"u1\", \"event\": \"Signed Up\", \"properties\": {\"plan\": \"pro\"}}")
                            .status())
                    .isEqualTo(200);
            Http.Response refused = server.track(
                    "/v1/track",
                    "{\"userId\": \"u1\", \"event\": \"Signed Up\", \"properties\": {\"plan\": \"platinum-plus\"}}");
            assertError(refused, 400, "tracking_plan_violation");
            assertThat(refused.json().at("/error/field").asText()).isEqualTo("properties.plan");
            assertError(server.adminSend("PUT", "/v1/tracking-plans/web", GOOD), 409, "declared_in_workspace");
            assertError(server.adminSend("DELETE", "/v1/tracking-plans/web", null), 409, "declared_in_workspace");
        }
    }

    @Test
    void aBadPlanInTandemYamlStopsStartUpWithTheLine() throws Exception {
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, """
                sources:
                  - name: web
                trackingPlans:
                  - key: web
                    sources: [web]
                    mode: strict
                    owners: [it-data]
                """);
        assertThatThrownBy(() -> Workspace.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 6")
                .hasMessageContaining("allow, omit, block");
        Files.writeString(file, """
                trackingPlans:
                  - key: web
                    sources: [web]
                    mode: block
                    owners: [it-data]
                    events:
                      Signed Up: {$ref: "https://schemas.example.com/signup.json"}
                """);
        assertThatThrownBy(() -> Workspace.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 7")
                .hasMessageContaining("never fetches anything");
    }

    @Test
    void inferDraftsAPlanFromWhatTheSourceSentThatTheFileTakes() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            server.track("/v1/batch", """
                    {"batch": [
                      {"type": "track", "userId": "u1", "event": "Order Completed",
                       "properties": {"order_id": "o-1", "total": 12.5, "items": [{"sku": "s-1", "qty": 2}]}},
                      {"type": "track", "userId": "u2", "event": "Order Completed", "properties": {"order_id": "o-2", "total": 3}},
                      {"type": "identify", "userId": "u1", "traits": {"email": "ann@example.com", "vip": true}},
                      {"type": "page", "anonymousId": "a1", "properties": {"path": "/"}}
                    ]}""");
            Cli.Result infer = Cli.run(
                    "plans", "infer", "--source", "test", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
            assertThat(infer.code()).as(infer.err()).isZero();
            String out = infer.out();
            assertThat(out)
                    .contains("from 4 stored events", "Order Completed", "order_id", "type: number", "sku", "vip");
            assertThat(out).doesNotContain("ann@example.com", "o-1", "s-1");
            Path file = dir.resolve("tandem.yaml");
            Files.writeString(file, "sources:\n  - name: test\n" + out.replace("owners: []", "owners: [it-data]"));
            PlanDeclaration plan = Workspace.load(file).trackingPlans().get(0);
            assertThat(plan.mode()).isEqualTo(Mode.ALLOW);
            JsonNode order = plan.schemas().get(Subject.track("Order Completed"));
            assertThat(order.path("required").toString())
                    .contains("order_id", "total")
                    .doesNotContain("items");
            assertThat(order.at("/properties/items/items/properties/qty/type").asText())
                    .isEqualTo("integer");

            Cli.Result unknown = Cli.run(
                    "plans",
                    "infer",
                    "--source",
                    "nowhere",
                    "--server",
                    server.url(),
                    "--token",
                    TestServer.ADMIN_TOKEN);
            assertThat(unknown.code()).isNotZero();
            assertThat(unknown.err() + unknown.out()).contains("No source is named 'nowhere'");
        }
    }

    private static void assertInvalid(TestServer server, String body, String field, String says) {
        Http.Response r = server.adminSend("PUT", "/v1/tracking-plans/web", body);
        assertError(r, 400, "invalid_tracking_plan");
        assertThat(r.json().at("/error/message").asText()).containsIgnoringCase(says);
        if (field != null) {
            assertThat(r.json().at("/error/field").asText()).isEqualTo(field);
        }
    }
}
