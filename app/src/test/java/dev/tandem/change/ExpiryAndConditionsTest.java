package dev.tandem.change;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.connect.Receiver;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A proposal nobody approves expires after the proposals' lifetime (on the test clock, no sleeping);
 * conditions an approval may not attach are refused with the field, and an audience (which takes
 * none) says so.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ExpiryAndConditionsTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    ExpiryAndConditionsTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aProposalNobodyApprovesExpiresAfterItsLifetime() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, "", clock)) {
            String ann = Team.person(server, "ann", "marketing", "marketer");
            Team.person(server, "bob", "it", "steward");
            Http.Response proposed = Team.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"destination\", \"key\": \"crm\", \"declaration\": "
                            + TwoKeysTest.destination(receiver, "/crm", true, "[\"it\"]") + "}");
            long id = proposed.json().path("id").asLong();
            clock.advance(Duration.ofDays(13));
            assertThat(server.admin("/v1/changes/" + id).json().path("status").asText())
                    .isEqualTo("pending");
            clock.advance(Duration.ofDays(2));
            // the job looks hourly: let hours pass (a job that read the clock during the jump may be due an hour later)
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        clock.advance(Duration.ofMinutes(61));
                        return server.admin("/v1/changes/" + id)
                                .json()
                                .path("status")
                                .asText()
                                .equals("expired");
                    });
            assertThat(server.admin("/v1/audit?kind=change.expired").body()).contains("change:" + id);
            assertError(Team.send(server, ann, "POST", "/v1/changes/" + id + "/withdraw", null), 409, "not_pending");
        }
    }

    @Test
    void conditionsAnApprovalMayNotAttachAreRefused() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, "")) {
            String ann = Team.person(server, "ann", "marketing", "marketer");
            String bob = Team.person(server, "bob", "it", "steward");
            long id = Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"destination\", \"key\": \"crm\", \"declaration\": "
                                    + TwoKeysTest.destination(receiver, "/crm", true, "[\"it\"]") + "}")
                    .json()
                    .path("id")
                    .asLong();
            String approve = "/v1/changes/" + id + "/approve";
            Http.Response teleport =
                    Team.send(server, bob, "POST", approve, "{\"conditions\": {\"teleport\": [\"x\"]}}");
            assertError(teleport, 400, "invalid_conditions");
            assertThat(teleport.json().path("error").path("field").asText()).isEqualTo("conditions.teleport");
            assertError(
                    Team.send(server, bob, "POST", approve, "{\"conditions\": {\"expires\": \"forever\"}}"),
                    400,
                    "invalid_conditions");
            assertError(
                    Team.send(server, bob, "POST", approve, "{\"conditions\": {\"hash\": []}}"),
                    400,
                    "invalid_conditions");
            assertError(
                    Team.send(server, bob, "POST", approve, "{\"conditions\": {\"hash\": [\"a b\"]}}"),
                    400,
                    "invalid_conditions");
            assertError(Team.send(server, bob, "POST", approve, "{\"conditions\": []}"), 400, "invalid_conditions");
            assertThat(server.admin("/v1/changes/" + id).json().path("verdicts").size())
                    .as("a refused approval leaves no verdict")
                    .isZero();

            long audience = Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"audience\", \"key\": \"vips\", \"declaration\": {\"name\": \"VIPs\", \"owners\": [\"marketing\", \"it\"], \"condition\": \"event_count > 3\"}}")
                    .json()
                    .path("id")
                    .asLong();
            Http.Response onAudience = Team.send(
                    server,
                    bob,
                    "POST",
                    "/v1/changes/" + audience + "/approve",
                    "{\"conditions\": {\"hash\": [\"email\"]}}");
            assertError(onAudience, 400, "invalid_conditions");
            assertThat(onAudience.body()).contains("cannot attach conditions");
        }
    }
}
