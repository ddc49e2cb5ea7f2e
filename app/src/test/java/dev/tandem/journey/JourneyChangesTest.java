package dev.tandem.journey;

import static dev.tandem.journey.Journeys.until;
import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.Http;
import dev.tandem.testing.Staff;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A journey proposed through changes is pending until approved, with its dry run attached (the reach
 * approvers approve); a workspace rule on {@code reach} raises the tier of the edit that would reach
 * more; approved, it is live, and an edit is a new version while instances in flight stay on theirs.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyChangesTest {
    private static final String SCOPES = "[\"changes:read\", \"changes:write\"]";

    private final StoreKind store;
    private final TestClock clock = TestClock.standard();

    @TempDir
    Path dir;

    JourneyChangesTest(StoreKind store) {
        this.store = store;
    }

    private static String workspace(Receiver receiver) {
        return Journeys.destination(receiver) + """
                policies:
                  changes:
                    - id: journey-wide
                      when: change.kind == "journey" && has(change.reach) && change.reach >= 3
                      tier: high
                      reason: A journey reaching three profiles or more needs both sides in this test.
                """;
    }

    private static String welcome(String template) {
        return """
                {"key": "welcome", "name": "Welcome", "owners": ["marketing"],
                 "entry": {"event": "event == 'Signed Up'"},
                 "steps": [{"send": {"destination": "email_tool", "message": {"template": "%s"}}},
                           {"wait": "2d"},
                           {"send": {"destination": "email_tool", "message": {"template": "%s_2"}}}]}""".formatted(template, template);
    }

    private static void signUp(TestServer server, String user) {
        Journeys.send(
                server,
                List.of(Journeys.identify(user, true, "{}"), Journeys.track(user, "Signed Up", "su-" + user, "{}")));
        server.awaitProcessed();
    }

    @Test
    void aJourneyChangeCarriesItsDryRunAndIsLiveOnceApproved() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver), clock)) {
            String ann = Staff.person(server, "ann", "marketing", "marketer", SCOPES);
            String cat = Staff.person(server, "cat", "marketing", "marketer", SCOPES);
            String ben = Staff.person(server, "ben", "it", "steward", SCOPES);
            signUp(server, "u-1");
            signUp(server, "u-2");

            // a wrong declaration is refused naming its field, before any change is made
            Http.Response wrong = Staff.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"journey\", \"key\": \"welcome\", \"declaration\": "
                            + welcome("w").replace("email_tool", "nowhere") + "}");
            assertError(wrong, 400, "invalid_journey");
            assertThat(wrong.json().at("/error/field").asText()).isEqualTo("steps.0.send.destination");

            // a plan needs only changes:read, so it runs no dry run: a crafted entry would tell its caller who is who
            String dan = Staff.person(server, "dan", "it", "analyst", "[\"changes:read\"]");
            Http.Response plan = Staff.send(
                    server,
                    dan,
                    "POST",
                    "/v1/workspace/plan",
                    "{\"objects\": {\"journey\": {\"welcome\": " + welcome("w") + "}}}");
            assertThat(plan.status()).as(plan.body()).isEqualTo(200);
            assertThat(plan.json().at("/plan/0/facts/sends").asLong())
                    .as(plan.body())
                    .isEqualTo(2);
            assertThat(plan.json().at("/plan/0/facts").has("reach")).isFalse();
            assertThat(plan.json().at("/plan/0/facts").has("dryRun")).isFalse();

            Http.Response proposed = Staff.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"journey\", \"key\": \"welcome\", \"declaration\": " + welcome("w") + "}");
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(202);
            long id = proposed.json().path("id").asLong();
            assertError(server.admin("/v1/journeys/welcome"), 404, "journey_not_found");

            // approvers see the reach they approve: two signed up in the last 7 days, nothing sent
            JsonNode change =
                    Staff.send(server, cat, "GET", "/v1/changes/" + id, null).json();
            assertThat(change.path("tier").asText()).isEqualTo("medium");
            assertThat(change.at("/facts/reach").asLong()).isEqualTo(2);
            assertThat(change.at("/facts/sends").asLong()).isEqualTo(2);
            assertThat(change.at("/facts/dryRun/entered").asLong()).isEqualTo(2);
            assertThat(change.at("/facts/dryRun/steps/0/sent").asLong()).isEqualTo(2);
            assertThat(receiver.requests()).isEmpty();

            Http.Response approved = Staff.send(server, cat, "POST", "/v1/changes/" + id + "/approve", "{}");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            assertThat(approved.json().path("status").asText()).isEqualTo("applied");
            JsonNode live = server.admin("/v1/journeys/welcome").json();
            assertThat(live.path("version").asInt()).isEqualTo(1);
            assertThat(live.path("origin").asText()).isEqualTo("change");

            signUp(server, "u-3");
            until(server, "welcome", s -> Journeys.step(s, "1").path("waiting").asLong() == 1);

            // the edit would reach three: the workspace's rule makes it high, two keys are needed
            Http.Response edit = Staff.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"journey\", \"key\": \"welcome\", \"declaration\": " + welcome("v") + "}");
            assertThat(edit.status()).as(edit.body()).isEqualTo(202);
            long second = edit.json().path("id").asLong();
            JsonNode high = Staff.send(server, ann, "GET", "/v1/changes/" + second, null)
                    .json();
            assertThat(high.path("tier").asText()).isEqualTo("high");
            assertThat(high.path("tierRule").asText()).isEqualTo("journey-wide");
            assertThat(high.at("/facts/reach").asLong()).isEqualTo(3);
            assertThat(high.at("/facts/dryRun/version").asInt()).isEqualTo(2);
            JsonNode afterOne = Staff.send(server, cat, "POST", "/v1/changes/" + second + "/approve", "{}")
                    .json();
            assertThat(afterOne.path("status").asText()).isEqualTo("pending");
            assertThat(server.admin("/v1/journeys/welcome")
                            .json()
                            .path("version")
                            .asInt())
                    .isEqualTo(1);
            JsonNode done = Staff.send(server, ben, "POST", "/v1/changes/" + second + "/approve", "{}")
                    .json();
            assertThat(done.path("status").asText()).isEqualTo("applied");
            assertThat(server.admin("/v1/journeys/welcome")
                            .json()
                            .path("version")
                            .asInt())
                    .isEqualTo(2);

            // in flight stays on version 1; a new entrant takes version 2
            signUp(server, "u-4");
            JsonNode u3 = server.admin("/v1/journeys/welcome/instances?profile=user_id:u-3")
                    .json();
            assertThat(u3.at("/instances/0/version").asInt()).isEqualTo(1);
            org.awaitility.Awaitility.await()
                    .until(() -> server.admin("/v1/journeys/welcome/instances?profile=user_id:u-4")
                                    .json()
                                    .at("/instances/0/version")
                                    .asInt()
                            == 2);
        }
    }

    @Test
    void aScheduledJourneyIsCheckedAndCarriesItsReachAndItsFirstPassComesAfterApproval() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, workspace(receiver), clock)) {
            String ann = Staff.person(server, "ann", "marketing", "marketer", SCOPES);
            String cat = Staff.person(server, "cat", "marketing", "marketer", SCOPES);
            signUp(server, "u-1");
            signUp(server, "u-2");
            String scheduled = welcome("s").replace("{\"event\": \"event == 'Signed Up'\"}", "{\"schedule\": %s}");

            Http.Response wrong = Staff.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"journey\", \"key\": \"welcome\", \"declaration\": "
                            + scheduled.formatted("{\"every\": \"1d\", \"at\": \"9:60\"}") + "}");
            assertError(wrong, 400, "invalid_journey");
            assertThat(wrong.json().at("/error/field").asText()).isEqualTo("entry.schedule.at");

            Http.Response proposed = Staff.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"journey\", \"key\": \"welcome\", \"declaration\": "
                            + scheduled.formatted("{\"every\": \"1d\"}") + "}");
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(202);
            long id = proposed.json().path("id").asLong();
            // every profile would enter at a pass: the reach is the two stored
            JsonNode change =
                    Staff.send(server, cat, "GET", "/v1/changes/" + id, null).json();
            assertThat(change.at("/facts/reach").asLong()).as(change.toString()).isEqualTo(2);
            assertThat(change.at("/facts/dryRun/schedule").asText()).isEqualTo("every 1d, every profile");
            assertThat(Staff.send(server, cat, "POST", "/v1/changes/" + id + "/approve", "{}")
                            .json()
                            .path("status")
                            .asText())
                    .isEqualTo("applied");
            assertThat(server.admin("/v1/journeys/welcome").json().path("entry").asText())
                    .isEqualTo("every 1d, every profile");

            // the first pass is a day after it went live, not at once
            server.awaitProcessed();
            assertThat(Journeys.step(Journeys.stats(server, "welcome"), "0")
                            .path("entered")
                            .asLong())
                    .isZero();
            clock.advance(java.time.Duration.ofDays(1).plusMinutes(1));
            until(server, "welcome", s -> Journeys.step(s, "1").path("waiting").asLong() == 2);
        }
    }

    @Test
    void aJourneyEditedInTandemYamlWaitsForApprovalAndIsNotChangedThroughTheApi() throws Exception {
        String file = """
                journeys:
                  - key: care
                    owners: [marketing]
                    entry: { event: "event == 'NPS Answered'" }
                    steps: [ { send: { destination: email_tool, message: { template: %s } } } ]
                """;
        try (Receiver receiver = new Receiver();
                TestServer server =
                        TestServer.withWorkspace(store, dir, workspace(receiver) + file.formatted("care_1"), clock)) {
            String ann = Staff.person(server, "ann", "marketing", "marketer", SCOPES);
            assertThat(server.admin("/v1/journeys/care").json().path("origin").asText())
                    .isEqualTo("workspace");
            assertError(
                    Staff.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"journey\", \"key\": \"care\", \"declaration\": "
                                    + welcome("w").replace("welcome", "care") + "}"),
                    409,
                    "declared_in_workspace");
            assertError(
                    Staff.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"journey\", \"key\": \"other\", \"declaration\": [1]}"),
                    400,
                    "missing_declaration");

            server.restartWith(dir.resolve("tandem.yaml"), workspace(receiver) + file.formatted("care_2"));
            JsonNode pending = server.admin("/v1/changes?status=pending&kind=journey")
                    .json()
                    .path("changes");
            assertThat(pending).hasSize(1);
            assertThat(pending.get(0).path("origin").asText()).isEqualTo("file");
            assertThat(pending.get(0).path("key").asText()).isEqualTo("care");
            JsonNode live = server.admin("/v1/journeys/care").json();
            assertThat(live.path("version").asInt()).isEqualTo(1);
            assertThat(live.at("/declaration/steps/0/send/message/template").asText())
                    .as("the edit stays out until approved")
                    .isEqualTo("care_1");
        }
    }
}
