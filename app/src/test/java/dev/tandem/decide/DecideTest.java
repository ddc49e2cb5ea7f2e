package dev.tandem.decide;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Decisions through HTTP: rule order, defaults, unknown visitors, experiment assignment, stability across merges, results. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class DecideTest {
    private static final String WORKSPACE = """
            server:
              decideRatePerSecond: 100000
              decideBurst: 100000
            profiles:
              computedTraits:
                - name: spent
                  aggregate: sum
                  property: properties.revenue
            audiences:
              - key: big_spenders
                name: Big spenders
                owners: [marketing]
                condition: computed.spent >= 100
            placements:
              - key: home_hero
                name: Home page hero
                owners: [marketing]
                rules:
                  - name: big spenders get the private sale
                    when: '"big_spenders" in audiences'
                    variant: private_sale
                    content: {headline: Your private sale}
                  - name: sale pages
                    when: context.page.path.startsWith("/sale")
                    variant: sale_banner
                    content: {headline: Sale on now}
                  - name: over thirty
                    when: traits.age > 30
                    variant: grown_up
                    content: {headline: Timeless}
                default: {variant: generic, content: {headline: New season}}
              - key: checkout_banner
                owners: [growth]
                rules:
                  - when: has(traits.vip) && traits.vip == true
                    variant: vip_banner
                    content: {text: Your personal shopper is here}
                default: {variant: plain, content: {text: Free returns}}
                experiment:
                  key: checkout_copy
                  name: Checkout copy
                  goal: Order Completed
                  variants:
                    - {key: control, weight: 50, control: true}
                    - {key: bold, weight: 30, content: {text: Free returns. Always.}}
                    - {key: calm, weight: 20, content: {text: Returns are on us}}
            """;

    private final StoreKind store;

    @TempDir
    Path dir;

    DecideTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void rulesRunInOrderWithDefaultsForUnknownVisitors() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            JsonNode stranger = explain(server, "{\"placement\": \"home_hero\", \"anonymousId\": \"never-seen\"}");
            assertThat(stranger.path("variant").asText()).isEqualTo("generic");
            assertThat(stranger.at("/content/headline").asText()).isEqualTo("New season");
            assertThat(stranger.path("profile_id").isNull()).isTrue();
            assertThat(reasons(stranger))
                    .anyMatch(r -> r.contains("not known yet"))
                    .anyMatch(r -> r.startsWith("rule 2 'sale pages' could not be evaluated"))
                    .anyMatch(r -> r.contains("the default"));

            JsonNode onSale = explain(
                    server,
                    "{\"placement\": \"home_hero\", \"anonymousId\": \"never-seen\", "
                            + "\"context\": {\"page\": {\"path\": \"/sale/shoes\"}}}");
            assertThat(onSale.path("variant").asText()).isEqualTo("sale_banner");
            assertThat(reasons(onSale))
                    .contains("rule 2 'sale pages' matched: context.page.path.startsWith(\"/sale\")");

            server.track("/v1/identify", "{\"userId\": \"ann\", \"traits\": {\"age\": 44}}");
            server.track(
                    "/v1/track",
                    "{\"userId\": \"ann\", \"event\": \"Order Completed\", \"properties\": {\"revenue\": 150}}");
            server.track("/v1/identify", "{\"userId\": \"bob\", \"traits\": {\"age\": 52}}");
            server.awaitProcessed();
            String context = ", \"context\": {\"page\": {\"path\": \"/sale\"}}}";
            JsonNode ann = explain(server, "{\"placement\": \"home_hero\", \"userId\": \"ann\"" + context);
            assertThat(ann.path("variant").asText()).isEqualTo("private_sale");
            assertThat(ann.path("profile_id").asText()).isNotEmpty();
            assertThat(explain(server, "{\"placement\": \"home_hero\", \"userId\": \"bob\"" + context)
                            .path("variant")
                            .asText())
                    .isEqualTo("sale_banner");
            assertThat(explain(server, "{\"placement\": \"home_hero\", \"userId\": \"bob\"}")
                            .path("variant")
                            .asText())
                    .isEqualTo("grown_up");

            assertError(post(server, "{\"anonymousId\": \"a\"}"), 400, "missing_placement");
            assertError(post(server, "{\"placement\": \"home_hero\"}"), 400, "missing_identity");
            assertError(
                    post(server, "{\"placement\": \"nowhere\", \"anonymousId\": \"a\"}"), 404, "placement_not_found");
            Http.Response typo = post(server, "{\"placement\": \"home_hero\", \"userid\": \"ann\"}");
            assertError(typo, 400, "unknown_field");
            assertThat(typo.json().at("/error/field").asText()).isEqualTo("userid");
            assertError(post(server, "{\"placement\": "), 400, "invalid_json");
            assertError(
                    post(server, "{\"placement\": \"home_hero\", \"anonymousId\": \"a\", \"context\": 3}"),
                    400,
                    "invalid_context");
            assertError(
                    server.http().post("/v1/decide", "{\"placement\": \"home_hero\", \"anonymousId\": \"a\"}"),
                    401,
                    "missing_write_key");
        }
    }

    @Test
    void assignmentFollowsTheWeightsAndStaysWithTheProfileThroughMerges() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            Map<String, Integer> counts = new HashMap<>();
            int visitors = 3_000;
            for (int i = 0; i < visitors; i++) {
                JsonNode d = decide(server, "{\"placement\": \"checkout_banner\", \"anonymousId\": \"v-" + i + "\"}");
                counts.merge(arm(d), 1, Integer::sum);
                if (i < 5) {
                    // the same visitor again gets the same arm
                    assertThat(arm(decide(
                                    server, "{\"placement\": \"checkout_banner\", \"anonymousId\": \"v-" + i + "\"}")))
                            .isEqualTo(arm(d));
                }
            }
            Map<String, Double> weights = Map.of("control", 0.5, "bold", 0.3, "calm", 0.2);
            weights.forEach((arm, w) -> {
                double sigma = Math.sqrt(visitors * w * (1 - w));
                assertThat((double) counts.getOrDefault(arm, 0)).as(arm).isCloseTo(visitors * w, within(4 * sigma));
            });

            // a rule that matches wins over the experiment, which tests against the default only
            server.track("/v1/identify", "{\"userId\": \"vip-1\", \"traits\": {\"vip\": true}}");
            server.awaitProcessed();
            JsonNode vip = explain(server, "{\"placement\": \"checkout_banner\", \"userId\": \"vip-1\"}");
            assertThat(vip.path("variant").asText()).isEqualTo("vip_banner");
            assertThat(vip.has("experiment")).isFalse();
            assertThat(reasons(vip)).anyMatch(r -> r.contains("not run"));

            JsonNode first = decide(
                    server,
                    "{\"placement\": \"checkout_banner\", \"userId\": \"u-1\", \"userToken\": \""
                            + DecideSafetyTest.userToken(server, "u-1", 600) + "\"}");
            String armOfU1 = arm(first);
            assertThat(first.path("variant").asText()).isEqualTo(armOfU1.equals("control") ? "plain" : armOfU1);
            server.awaitProcessed();
            String other = null;
            int later = 0;
            for (int i = 0; other == null; i++, later++) {
                JsonNode d =
                        decide(server, "{\"placement\": \"checkout_banner\", \"anonymousId\": \"later-" + i + "\"}");
                if (!arm(d).equals(armOfU1)) {
                    other = "later-" + i;
                }
            }
            // an exposure is stored after the answer (it never holds one up), so the lag may read 0 before it is in
            String otherOne = other;
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> explain(server, "{\"placement\": \"checkout_banner\", \"userId\": \"u-1\"}")
                                    .at("/experiment/sticky")
                                    .asBoolean()
                            && explain(
                                            server,
                                            "{\"placement\": \"checkout_banner\", \"anonymousId\": \"" + otherOne
                                                    + "\"}")
                                    .at("/experiment/sticky")
                                    .asBoolean());
            JsonNode anonymous =
                    explain(server, "{\"placement\": \"checkout_banner\", \"anonymousId\": \"" + other + "\"}");
            assertThat(anonymous.at("/experiment/sticky").asBoolean()).isTrue();
            assertThat(anonymous.at("/experiment/arm").asText()).isNotEqualTo(armOfU1);

            server.track("/v1/identify", "{\"userId\": \"u-1\", \"anonymousId\": \"" + other + "\"}");
            server.awaitProcessed();
            JsonNode merged =
                    explain(server, "{\"placement\": \"checkout_banner\", \"anonymousId\": \"" + other + "\"}");
            assertThat(merged.at("/experiment/arm").asText())
                    .as("the earlier exposure wins")
                    .isEqualTo(armOfU1);
            assertThat(merged.at("/experiment/sticky").asBoolean()).isTrue();
            List<String> events = new ArrayList<>();
            server.profile("user_id:u-1", "events?limit=200")
                    .json()
                    .path("data")
                    .forEach(e -> events.add(e.path("event").asText()));
            assertThat(events).contains("Experiment Viewed");
            JsonNode results =
                    server.admin("/v1/experiments/checkout_copy/results").json();
            long exposed = 0;
            for (JsonNode arm : results.path("arms")) {
                exposed += arm.path("exposed").asLong();
            }
            // the visitors, u-1, and the later visitors, of whom one merged into u-1
            assertThat(exposed).as("each profile counts once").isEqualTo(visitors + 1 + later - 1);
        }
    }

    @Test
    void resultsOnAKnownDataSet() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            StringBuilder batch = new StringBuilder();
            int n = 0;
            for (int i = 0; i < 2_000; i++) {
                String arm = i < 1_000 ? "control" : "bold";
                boolean converts = i < 1_000 ? i < 100 : i - 1_000 < 130;
                batch.append(n++ == 0 ? "" : ",")
                        .append("{\"type\": \"track\", \"userId\": \"k-")
                        .append(i)
                        .append(
                                "\", \"event\": \"Experiment Viewed\", \"timestamp\": \"2026-11-01T10:00:00Z\", \"properties\": ")
                        .append("{\"experiment_id\": \"checkout_copy\", \"variation_id\": \"")
                        .append(arm)
                        .append("\"}}");
                if (converts) {
                    batch.append(",{\"type\": \"track\", \"userId\": \"k-")
                            .append(i)
                            .append("\", \"event\": \"Order Completed\", \"timestamp\": \"2026-11-01T11:00:00Z\"}");
                }
                if (i % 200 == 199) {
                    assertThat(server.track("/v1/batch", "{\"batch\": [" + batch + "]}")
                                    .status())
                            .isEqualTo(200);
                    batch.setLength(0);
                    n = 0;
                }
            }
            // a conversion before the exposure does not count
            server.track(
                    "/v1/batch",
                    "{\"batch\": [{\"type\": \"track\", \"userId\": \"early\", \"event\": \"Order Completed\", "
                            + "\"timestamp\": \"2026-11-01T09:00:00Z\"}, {\"type\": \"track\", \"userId\": \"early\", \"event\": \"Experiment Viewed\", "
                            + "\"timestamp\": \"2026-11-01T10:00:00Z\", \"properties\": {\"experiment_id\": \"checkout_copy\", \"variation_id\": \"calm\"}}]}");
            server.awaitProcessed();
            JsonNode results =
                    server.admin("/v1/experiments/checkout_copy/results").json();
            JsonNode control = arm(results, "control");
            JsonNode bold = arm(results, "bold");
            JsonNode calm = arm(results, "calm");
            assertThat(control.path("exposed").asLong()).isEqualTo(1_000);
            assertThat(control.path("conversion_rate").asDouble()).isEqualTo(0.10, within(1e-12));
            assertThat(bold.path("converted").asLong()).isEqualTo(130);
            assertThat(bold.path("uplift").asDouble()).isEqualTo(0.30, within(1e-9));
            assertThat(bold.at("/difference/value").asDouble()).isEqualTo(0.03, within(1e-12));
            assertThat(bold.at("/difference/low").asDouble()).isEqualTo(0.0020679344, within(1e-8));
            assertThat(bold.at("/difference/high").asDouble()).isEqualTo(0.0579320656, within(1e-8));
            assertThat(bold.at("/difference/p_value").asDouble()).isEqualTo(0.0354884505, within(1e-6));
            assertThat(bold.at("/difference/significant").asBoolean()).isTrue();
            assertThat(calm.path("exposed").asLong()).isEqualTo(1);
            assertThat(calm.path("converted").asLong()).isZero();
            assertError(server.admin("/v1/experiments/nope/results"), 404, "experiment_not_found");
        }
    }

    private static JsonNode arm(JsonNode results, String arm) {
        for (JsonNode a : results.path("arms")) {
            if (a.path("arm").asText().equals(arm)) {
                return a;
            }
        }
        throw new AssertionError("no arm " + arm + " in " + results);
    }

    private static Http.Response post(TestServer server, String body) {
        return server.track("/v1/decide", body);
    }

    private static JsonNode decide(TestServer server, String body) {
        Http.Response r = post(server, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** A decision with reasons and the profile id, as a decide:explain token (here the admin token) gets it. */
    private static JsonNode explain(TestServer server, String body) {
        Http.Response r = server.http()
                .post(
                        "/v1/decide",
                        body,
                        "Authorization",
                        "Bearer " + TestServer.ADMIN_TOKEN,
                        "Content-Type",
                        "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The experiment arm of a write key's decision, which shows only the variant: the control group gets the default. */
    private static String arm(JsonNode decision) {
        String variant = decision.path("variant").asText();
        return variant.equals("plain") ? "control" : variant;
    }

    private static List<String> reasons(JsonNode decision) {
        List<String> reasons = new ArrayList<>();
        decision.path("reasons").forEach(r -> reasons.add(r.asText()));
        return reasons;
    }
}
