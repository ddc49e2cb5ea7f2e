package dev.tandem.kpi;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every role reads KPI breakdowns, so none may single out a customer: a dimension over a personal
 * field is refused, a personal-looking value is withheld, a value with fewer than five answers is
 * not listed, and a dimension keeps at most 500 values apart.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class KpiPrivacyTest {
    private static final String WORKSPACE = """
            kpis:
              - key: nps
                name: Likelihood to recommend
                owners: [marketing, it]
                type: nps
                events: "event == 'Survey Answered'"
                value: "properties.score"
                by: { touchpoint: "properties.touchpoint", note: "properties.note", order: "properties.order" }
            """;

    private final StoreKind store;
    private final TestClock clock = TestClock.standard(); // 2026-01-05T09:00:00Z

    @TempDir
    Path dir;

    KpiPrivacyTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aDimensionOverAPersonalFieldIsRefusedInTheFileAndThroughTheApi() throws Exception {
        String head =
                "kpis:\n  - key: k\n    name: K\n    owners: [marketing]\n    type: count\n    events: \"true\"\n";
        assertThatThrownBy(() -> TestServer.withWorkspace(store, dir, head + "    by: { who: \"traits.email\" }\n"))
                .hasMessageContaining("line 7")
                .hasMessageContaining("reads traits.email, a personal field")
                .hasMessageContaining("PUT /v1/admin/fields/traits.email");
        try (TestServer server = TestServer.withWorkspace(
                store, java.nio.file.Files.createDirectories(dir.resolve("api")), WORKSPACE, clock)) {
            for (String reads : List.of(
                    "traits.email",
                    "context.ip",
                    "properties['e-mail']",
                    "context.traits.phone",
                    "has(properties.card_number) ? 'card' : 'none'",
                    "string(traits . last_name)")) {
                Http.Response r = server.adminSend(
                        "PUT",
                        "/v1/admin/kpis/k",
                        "{\"key\": \"k\", \"name\": \"K\", \"owners\": [\"it\"], \"type\": \"count\", "
                                + "\"events\": \"true\", \"by\": {\"who\": \"" + reads.replace("'", "\\u0027")
                                + "\"}}");
                assertError(r, 400, "invalid_kpi");
                assertThat(r.json().at("/error/field").asText()).as(reads).isEqualTo("by.who");
                assertThat(r.json().at("/error/message").asText()).as(reads).contains("dimension 'who' reads");
            }
            // general fields are fine
            Http.Response ok = server.adminSend(
                    "PUT",
                    "/v1/admin/kpis/k",
                    "{\"key\": \"k\", \"name\": \"K\", \"owners\": [\"it\"], \"type\": \"count\", "
                            + "\"events\": \"true\", \"by\": {\"plan\": \"traits.plan\", \"channel\": \"context.channel\"}}");
            assertThat(ok.status()).as(ok.body()).isIn(200, 201, 202);
            assertThat(server.admin("/v1/kpis/k").status()).isEqualTo(200);

            // a steward classifies a field the live KPI reads as personal: new KPIs over it are refused, and the
            // KPI already approved does not stop the server at its next start (its values are still screened)
            Http.Response reviewed =
                    server.adminSend("PUT", "/v1/admin/fields/traits.plan", "{\"class\": \"personal\"}");
            assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(200);
            Http.Response refused = server.adminSend(
                    "PUT",
                    "/v1/admin/kpis/k2",
                    "{\"key\": \"k2\", \"name\": \"K2\", \"owners\": [\"it\"], \"type\": \"count\", "
                            + "\"events\": \"true\", \"by\": {\"plan\": \"traits.plan\"}}");
            assertError(refused, 400, "invalid_kpi");
            server.restart();
            assertThat(server.admin("/v1/kpis/k").status()).isEqualTo(200);
        }
    }

    @Test
    void personalValuesAreWithheldSmallGroupsAreNotListedAndValuesAreCapped() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, clock)) {
            StringJoiner batch = new StringJoiner(",", "{\"batch\": [", "]}");
            int u = 0;
            // six answers for delivery, two for returns: returns is too small to stand alone
            for (int i = 0; i < 6; i++) {
                batch.add(answer(u++, "delivery", "ok", i));
            }
            batch.add(answer(u++, "returns", "ok", 100));
            batch.add(answer(u++, "returns", "ok", 101));
            // five notes that are somebody's email address
            for (int i = 0; i < 5; i++) {
                batch.add(answer(u++, "support", "jo" + i + "@example.com", 200 + i));
            }
            send(server, batch);
            // an order id as a dimension: 600 values, of which 500 are kept apart
            for (int b = 0; b < 3; b++) {
                StringJoiner more = new StringJoiner(",", "{\"batch\": [", "]}");
                for (int i = 0; i < 200; i++) {
                    more.add(answer(u++, "checkout", "ok", 1000 + b * 200 + i));
                }
                send(server, more);
            }
            server.awaitProcessed();

            JsonNode touch = KpiValuesTest.get(server, "/v1/kpis/nps?from=2026-01-01&to=2026-01-05&by=touchpoint");
            assertThat(touch.path("breakdown").findValuesAsText("value"))
                    .containsExactlyInAnyOrder("checkout", "delivery", "support");
            assertThat(touch.at("/withheld/values").asLong()).isEqualTo(1);
            assertThat(touch.at("/withheld/n").asLong()).isEqualTo(2);
            assertThat(touch.at("/withheld/minimum").asLong()).isEqualTo(5);

            JsonNode notes = KpiValuesTest.get(server, "/v1/kpis/nps?from=2026-01-01&to=2026-01-05&by=note");
            assertThat(notes.toString()).doesNotContain("@example.com");
            assertThat(notes.path("breakdown").findValuesAsText("value")).contains("(withheld)", "ok");

            JsonNode orders = KpiValuesTest.get(server, "/v1/kpis/nps?from=2026-01-01&to=2026-01-05&by=order");
            // every order id has one answer: none is listed; past 500 values the rest count as (other)
            assertThat(orders.path("breakdown").findValuesAsText("value")).containsExactly("(other)");
            long kept = orders.at("/withheld/values").asLong();
            long other = orders.at("/breakdown/0/n").asLong();
            assertThat(kept).isEqualTo(500);
            assertThat(other).isEqualTo(613 - 500);

            // a belief about a value too small to stand alone shows no measured value in the gap
            Http.Response belief = server.adminSend(
                    "POST",
                    "/v1/kpis/nps/beliefs",
                    "{\"by\": {\"touchpoint\": \"returns\"}, \"value\": 50, \"team\": \"marketing\"}");
            assertThat(belief.status()).as(belief.body()).isEqualTo(201);
            JsonNode gap = KpiValuesTest.get(server, "/v1/perception-gap?from=2026-01-01&to=2026-01-05");
            assertThat(gap.toString()).doesNotContain("returns");
        }
    }

    private static String answer(int user, String touchpoint, String note, int order) {
        return "{\"type\": \"track\", \"userId\": \"p" + user + "\", \"event\": \"Survey Answered\", "
                + "\"timestamp\": \"2026-01-03T10:00:00Z\", \"properties\": {\"score\": " + (user % 11)
                + ", \"touchpoint\": \"" + touchpoint + "\", \"note\": \"" + note + "\", \"order\": \"o" + order
                + "\"}}";
    }

    private static void send(TestServer server, StringJoiner batch) {
        Http.Response r = server.track("/v1/batch", batch.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
}
