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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An initiative's checkpoints are met, missed or upcoming by the test clock, the initiative on track
 * or at risk, and every passed checkpoint is an item of the change feed.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class InitiativeTest {
    private static final String BODY = """
            {"key": "faster-delivery", "name": "Faster delivery", "goal": "Customers get parcels in a day",
             "owners": {"marketing": "ann", "it": "ben"},
             "kpis": [{"kpi": "nps", "baseline": -40, "target": 40}],
             "checkpoints": [
               {"date": "2026-01-10", "expected": 30, "milestone": "second carrier"},
               {"date": "2026-01-03", "kpi": "nps", "expected": 50, "milestone": "tracking page"},
               {"date": "2026-01-04", "expected": -10}]}
            """;

    private final StoreKind store;
    private final TestClock clock = TestClock.standard(); // 2026-01-05T09:00:00Z

    @TempDir
    Path dir;

    InitiativeTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void checkpointsAreMetMissedOrUpcomingAndPassedOnesGoToTheFeed() {
        try (TestServer server = TestServer.withWorkspace(store, dir, KpiValuesTest.WORKSPACE, clock)) {
            String ann = Staff.person(server, "ann", "marketing", "marketer", "[\"changes:write\", \"kpis:read\"]");
            Staff.person(server, "ben", "it", "steward", "[\"kpis:read\"]");
            KpiValuesTest.send(server); // NPS 0 over every window below
            Http.Response made = Staff.send(server, ann, "POST", "/v1/initiatives", BODY);
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            JsonNode i = KpiValuesTest.get(server, "/v1/initiatives/faster-delivery");
            assertThat(i.path("checkpoints").findValuesAsText("date"))
                    .containsExactly("2026-01-03", "2026-01-04", "2026-01-10");
            assertThat(i.path("checkpoints").findValuesAsText("status")).containsExactly("missed", "met", "upcoming");
            assertThat(i.at("/checkpoints/0/value").asDouble()).isEqualTo(0.0);
            assertThat(i.path("status").asText()).isEqualTo("on_track");
            assertThat(i.at("/owners/it").asText()).isEqualTo("ben");
            assertThat(i.at("/kpis/0/n").asLong()).isEqualTo(15);
            assertThat(KpiValuesTest.get(server, "/v1/initiatives").path("initiatives"))
                    .hasSize(1);

            clock.advance(Duration.ofHours(1));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> checkpointItems(server).size() == 2);
            assertThat(checkpointItems(server))
                    .contains("The checkpoint of 2026-01-03 of the initiative Faster delivery was missed: nps was 0.0, "
                            + "50.0 expected (tracking page)");

            clock.advance(Duration.ofDays(6));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> checkpointItems(server).size() == 3);
            JsonNode later = KpiValuesTest.get(server, "/v1/initiatives/faster-delivery");
            assertThat(later.path("checkpoints").findValuesAsText("status")).containsExactly("missed", "met", "missed");
            assertThat(later.path("status").asText()).isEqualTo("at_risk");
        }
    }

    @Test
    void wrongInitiativesAreRefusedWithTheirField() {
        try (TestServer server = TestServer.withWorkspace(store, dir, KpiValuesTest.WORKSPACE, clock)) {
            Staff.person(server, "ann", "marketing", "marketer", "[\"kpis:read\"]");
            Staff.person(server, "ben", "it", "steward", "[\"kpis:read\"]");
            assertError(server.admin("/v1/initiatives/nope"), 404, "unknown_initiative");
            field(
                    server,
                    BODY.replace("\"marketing\": \"ann\", \"it\": \"ben\"", "\"marketing\": \"ben\", \"it\": \"ann\""),
                    "wrong_side",
                    "owners.marketing");
            field(server, BODY.replace("\"it\": \"ben\"", "\"it\": \"zoe\""), "unknown_person", "owners.it");
            field(
                    server,
                    BODY.replace("{\"kpi\": \"nps\", \"baseline\"", "{\"kpi\": \"ltv\", \"baseline\""),
                    "unknown_kpi",
                    "kpis.0.kpi");
            field(server, BODY.replace("2026-01-10", "soon"), "invalid_date", "checkpoints.0.date");
            field(
                    server,
                    BODY.replace("\"kpi\": \"nps\", \"expected\": 50", "\"kpi\": \"csat\", \"expected\": 50"),
                    "unknown_kpi",
                    "checkpoints.1.kpi");
            field(
                    server,
                    BODY.replace("\"expected\": 30", "\"expected\": \"high\""),
                    "invalid_field",
                    "checkpoints.0.expected");
            field(server, BODY.replace("\"faster-delivery\"", "\"Faster Delivery\""), "invalid_key", "key");
            field(server, BODY.replace("\"goal\"", "\"aim\""), "unknown_field", "aim");
            assertThat(server.adminSend("POST", "/v1/initiatives", BODY).status())
                    .isEqualTo(201);
            assertError(server.adminSend("POST", "/v1/initiatives", BODY), 409, "initiative_exists");
            assertError(server.http().get("/v1/initiatives"), 401, "missing_token");
        }
    }

    private static void field(TestServer server, String body, String code, String field) {
        Http.Response r = server.adminSend("POST", "/v1/initiatives", body);
        assertError(r, 400, code);
        assertThat(r.json().at("/error/field").asText()).as(r.body()).isEqualTo(field);
    }

    private static List<String> checkpointItems(TestServer server) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : server.admin("/v1/feed?topic=changes").json().path("items")) {
            if (item.path("title").asText().startsWith("The checkpoint")) {
                out.add(item.path("title").asText());
            }
        }
        return out;
    }
}
