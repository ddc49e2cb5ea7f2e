package dev.tandem.change;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A tracking plan's edit is a change like any other: medium tier, one approval from the owning side, then in force. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class PlanChangesTest {
    private static final String PLAN = "{\"sources\": [\"test\"], \"mode\": \"block\", \"owners\": [\"it\"], "
            + "\"events\": {\"Order Completed\": {\"type\": \"object\", \"required\": [\"total\"]}}}";

    private final StoreKind store;

    @TempDir
    Path dir;

    PlanChangesTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aTrackingPlanProposedByAMarketerIsInForceOnceTheOwningSideApproves() {
        try (TestServer server = TestServer.withWorkspace(store, dir, "")) {
            String ann = Team.person(server, "ann", "marketing", "marketer");
            String bob = Team.person(server, "bob", "it", "steward");
            Http.Response proposed = Team.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"trackingPlan\", \"key\": \"web\", \"declaration\": " + PLAN + "}");
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(202);
            assertThat(proposed.json().path("tier").asText()).isEqualTo("medium");
            assertError(server.admin("/v1/tracking-plans/web"), 404, "unknown_tracking_plan");
            assertError(
                    Team.send(
                            server,
                            ann,
                            "POST",
                            "/v1/changes",
                            "{\"kind\": \"trackingPlan\", \"key\": \"web2\", \"declaration\": {\"mode\": \"loud\"}}"),
                    400,
                    "invalid_tracking_plan");

            Http.Response approved = Team.send(
                    server,
                    bob,
                    "POST",
                    "/v1/changes/" + proposed.json().path("id").asLong() + "/approve",
                    "{}");
            assertThat(approved.json().path("status").asText())
                    .as(approved.body())
                    .isEqualTo("applied");
            assertThat(server.admin("/v1/tracking-plans/web")
                            .json()
                            .path("mode")
                            .asText())
                    .isEqualTo("block");
            Http.Response blocked = server.track(
                    "/v1/track", "{\"userId\": \"u-1\", \"event\": \"Order Completed\", \"properties\": {}}");
            assertThat(blocked.body()).contains("tracking_plan_violation");
        }
    }
}
