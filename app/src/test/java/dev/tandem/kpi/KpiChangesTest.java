package dev.tandem.kpi;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.Staff;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KPI proposed through changes waits for the owning side's approval and counts events once live; one
 * of tandem.yaml is changed in the file. A rating round is the raters' mean, "n of m rated it superior".
 */
class KpiChangesTest {
    private static final String CSAT =
            "{\"key\": \"csat\", \"name\": \"Satisfaction\", \"owners\": [\"marketing\", \"it\"], "
                    + "\"type\": \"top_box\", \"events\": \"event == 'Survey Answered' && properties.survey == 'csat'\", "
                    + "\"value\": \"properties.score\", \"scale\": [1, 5], \"box\": [4, 5], \"target\": 80}";

    private final TestClock clock = TestClock.standard();

    @TempDir
    Path dir;

    @Test
    void aKpiProposedIsLiveOnceApprovedAndRatingsMakeARound() {
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, KpiValuesTest.WORKSPACE, clock)) {
            String ann = Staff.person(
                    server, "ann", "marketing", "marketer", "[\"changes:read\", \"changes:write\", \"kpis:read\"]");
            String ben = Staff.person(
                    server, "ben", "it", "steward", "[\"changes:read\", \"changes:write\", \"kpis:read\"]");
            String cat = Staff.person(server, "cat", "marketing", "marketer", "[\"changes:write\"]");
            String dan = Staff.person(server, "dan", "it", "analyst", "[\"kpis:read\"]");

            // a wrong definition is refused with its field, before any change is made
            Http.Response wrong = Staff.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"kpi\", \"key\": \"csat2\", \"declaration\": "
                            + CSAT.replace("[4, 5]", "[4, 9]").replace("\"csat\"", "\"csat2\"") + "}");
            assertError(wrong, 400, "invalid_kpi");
            assertThat(wrong.json().at("/error/field").asText()).isEqualTo("box");

            Http.Response proposed = Staff.send(
                    server,
                    ann,
                    "POST",
                    "/v1/changes",
                    "{\"kind\": \"kpi\", \"key\": \"csat2\", \"declaration\": " + CSAT.replace("\"csat\"", "\"csat2\"")
                            + "}");
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(202);
            assertError(server.admin("/v1/kpis/csat2"), 404, "unknown_kpi");
            long id = proposed.json()
                    .path("id")
                    .asLong(proposed.json().path("change").asLong());
            Http.Response approved = Staff.send(server, ben, "POST", "/v1/changes/" + id + "/approve", "{}");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            assertThat(server.admin("/v1/kpis/csat2").status()).isEqualTo(200);
            KpiValuesTest.send(server);
            KpiValuesTest.assertEstimate(
                    KpiValuesTest.get(server, "/v1/kpis/csat2?from=2026-01-01&to=2026-01-05"),
                    60.0,
                    31.2674,
                    83.182,
                    10);
            // a KPI of tandem.yaml is changed in the file
            assertError(server.adminSend("PUT", "/v1/admin/kpis/csat", CSAT), 409, "declared_in_workspace");

            // a rating round on delivery's NPS: 50 and 30, the target 40: "1 of 2 rated it superior"
            String delivery = "{\"by\": {\"touchpoint\": \"delivery\"}, \"value\": ";
            assertThat(Staff.send(server, ann, "POST", "/v1/kpis/nps/ratings", delivery + "20}")
                            .status())
                    .isEqualTo(201);
            assertThat(Staff.send(server, ann, "POST", "/v1/kpis/nps/ratings", delivery + "50}")
                            .status())
                    .isEqualTo(201);
            assertThat(Staff.send(server, cat, "POST", "/v1/kpis/nps/ratings", delivery + "30}")
                            .status())
                    .isEqualTo(201);
            // an analyst reads, never rates
            assertError(
                    Staff.send(server, dan, "POST", "/v1/kpis/nps/ratings", delivery + "30}"), 403, "missing_scope");
            JsonNode gaps = Staff.send(server, dan, "GET", "/v1/perception-gap?from=2026-01-01&to=2026-01-05", null)
                    .json()
                    .path("gaps");
            assertThat(gaps).hasSize(1);
            JsonNode round = gaps.get(0);
            assertThat(round.path("believed").asDouble()).isEqualTo(40.0);
            assertThat(round.path("verdict").asText()).isEqualTo("overestimated");
            assertThat(round.path("raters").path("rated").asInt()).isEqualTo(2);
            assertThat(round.path("raters").path("superior").asInt()).isEqualTo(1);
            assertThat(round.path("team").asText()).isEqualTo("marketing");
            JsonNode history = KpiValuesTest.get(server, "/v1/kpis/nps/beliefs");
            assertThat(history.path("ratings")).hasSize(3);
            assertThat(history.at("/ratings/0/author").asText()).isEqualTo("cat");
        }
    }
}
