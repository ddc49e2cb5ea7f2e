package dev.tandem.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
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
 * KPI values and their 95% intervals over HTTP, on a data set whose values were worked out by hand
 * (a short Python script with the formulas of docs/kpis.md, written out below as literals): NPS,
 * top-box, mean and conversion, per dimension and over ranges, the same after a replay from the start;
 * and the perception gap with beliefs above, inside and below the interval.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class KpiValuesTest {
    static final String WORKSPACE = """
            kpis:
              - key: nps
                name: Likelihood to recommend
                owners: [marketing, it]
                type: nps
                events: "event == 'Survey Answered' && properties.survey == 'nps'"
                value: "properties.score"
                by: { touchpoint: "properties.touchpoint", channel: "context.channel" }
                target: 40
              - key: csat
                name: Satisfaction
                owners: [marketing]
                type: top_box
                events: "event == 'Survey Answered' && properties.survey == 'csat'"
                value: "properties.score"
                scale: [1, 5]
                box: [4, 5]
                target: 80
              - key: order_value
                name: Order value
                owners: [marketing, it]
                type: mean
                events: "event == 'Order Completed'"
                value: "properties.total"
              - key: checkout_conversion
                name: Checkout conversion
                owners: [marketing]
                type: conversion
                denominator: "event == 'Checkout Started'"
                numerator: "event == 'Order Completed'"
                window: 1d
                target: 60
            """;

    private final StoreKind store;
    private final TestClock clock = TestClock.standard(); // 2026-01-05T09:00:00Z

    @TempDir
    Path dir;

    KpiValuesTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void valuesAndIntervalsPerDimensionAndRangeSurviveAReplay() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, clock)) {
            send(server);
            JsonNode nps = get(server, "/v1/kpis/nps?from=2026-01-01&to=2026-01-05&by=touchpoint");
            // 15 answers: 6 promoters, 3 passives, 6 detractors
            assertEstimate(nps, 0.0, -40.0076, 40.0076, 15);
            assertThat(nps.path("status").asText()).isEqualTo("below");
            JsonNode delivery = breakdown(nps, "delivery");
            assertEstimate(delivery, -37.5, -76.6569, 22.1114, 8);
            JsonNode checkout = breakdown(nps, "checkout");
            assertEstimate(checkout, 42.8571, -16.3812, 76.3812, 7);
            // ranges over whole months and month ends add up the same (months of buckets, days at the ends)
            for (String range : List.of(
                    "from=2025-12-15&to=2026-02-10",
                    "from=2026-01-01&to=2026-01-31",
                    "from=2025-11-01&to=2026-01-02")) {
                JsonNode wide = get(server, "/v1/kpis/nps?" + range + "&by=touchpoint");
                assertEstimate(breakdown(wide, "delivery"), -37.5, -76.6569, 22.1114, 8);
            }
            assertThat(get(server, "/v1/kpis/nps?from=2025-11-01&to=2026-01-02&by=touchpoint")
                            .path("breakdown"))
                    .hasSize(1);
            assertThat(nps.path("series")).hasSize(5);
            assertThat(nps.at("/series/1/n").asLong()).isEqualTo(8); // 2026-01-02: delivery's answers
            assertThat(nps.at("/series/0/value").isNull()).isTrue();
            // one day: only delivery's answers
            assertEstimate(get(server, "/v1/kpis/nps?from=2026-01-02&to=2026-01-02"), -37.5, -76.6569, 22.1114, 8);
            // by channel: every answer came by email or by the app
            JsonNode channels = get(server, "/v1/kpis/nps?from=2026-01-01&to=2026-01-05&by=channel");
            assertThat(channels.path("breakdown").findValuesAsText("value")).containsExactlyInAnyOrder("email", "app");
            // weekly: 2026-01-01 is a Thursday, its week starts on Monday 2025-12-29
            JsonNode weekly = get(server, "/v1/kpis/nps?from=2026-01-01&to=2026-01-05&interval=week");
            assertThat(weekly.path("series").findValuesAsText("date")).containsExactly("2025-12-29", "2026-01-05");

            // a day against the day before: checkout's answers against delivery's, a difference whose interval holds
            // zero
            JsonNode compare =
                    get(server, "/v1/kpis/nps?from=2026-01-03&to=2026-01-03").path("compare");
            assertThat(compare.path("from").asText()).isEqualTo("2026-01-02");
            assertThat(compare.path("value").asDouble()).isEqualTo(-37.5);
            assertThat(compare.path("difference").asDouble()).isCloseTo(80.3571, within(1e-3));
            assertThat(compare.path("ci").get(0).asDouble()).isCloseTo(-10.4769, within(1e-3));
            assertThat(compare.path("ci").get(1).asDouble()).isCloseTo(125.0223, within(1e-3));
            assertThat(compare.path("significant").asBoolean()).isFalse();
            assertThat(delivery.path("vsRest").path("significant").asBoolean()).isFalse();

            assertEstimate(get(server, "/v1/kpis/csat?from=2026-01-01&to=2026-01-05"), 60.0, 31.2674, 83.182, 10);
            assertEstimate(get(server, "/v1/kpis/order_value?from=2026-01-01&to=2026-01-05"), 25.0, 4.4574, 45.5426, 4);
            assertEstimate(
                    get(server, "/v1/kpis/checkout_conversion?from=2026-01-01&to=2026-01-05"),
                    50.0,
                    15.0039,
                    84.9961,
                    4);

            JsonNode list = get(server, "/v1/kpis?from=2026-01-01&to=2026-01-05");
            assertThat(list.path("from").asText()).isEqualTo("2026-01-01");
            assertThat(list.path("kpis").findValuesAsText("key"))
                    .containsExactly("nps", "csat", "order_value", "checkout_conversion");
            assertThat(list.at("/kpis/0/trend")).hasSize(5);
            assertThat(list.at("/kpis/2/status").asText()).isEqualTo("no_target");
            // the default range is the last 30 days by the server's clock
            assertThat(get(server, "/v1/kpis").path("to").asText()).isEqualTo("2026-01-05");
            assertThat(get(server, "/v1/kpis").path("from").asText()).isEqualTo("2025-12-07");

            List<String> before = new ArrayList<>();
            for (String kpi : List.of("nps", "csat", "order_value", "checkout_conversion")) {
                before.add(get(
                                server,
                                "/v1/kpis/" + kpi
                                        + "?from=2026-01-01&to=2026-01-05&by=touchpoint"
                                                .replace("&by=touchpoint", kpi.equals("nps") ? "&by=touchpoint" : ""))
                        .toString());
            }
            assertThat(server.adminSend("POST", "/v1/admin/replay", null).status())
                    .isBetween(200, 204);
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<String> after = new ArrayList<>();
                for (String kpi : List.of("nps", "csat", "order_value", "checkout_conversion")) {
                    after.add(get(
                                    server,
                                    "/v1/kpis/" + kpi + "?from=2026-01-01&to=2026-01-05"
                                            + (kpi.equals("nps") ? "&by=touchpoint" : ""))
                            .toString());
                }
                assertThat(after).isEqualTo(before);
            });
        }
    }

    @Test
    void thePerceptionGapFlagsBeliefsAboveInsideAndBelowTheInterval() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, clock)) {
            send(server);
            belief(server, "{\"by\": {\"touchpoint\": \"delivery\"}, \"value\": 60, \"team\": \"marketing\"}");
            belief(server, "{\"by\": {\"touchpoint\": \"delivery\"}, \"value\": -90, \"team\": \"it\"}");
            belief(server, "{\"value\": 25, \"team\": \"marketing\", \"note\": \"first guess\"}");
            belief(server, "{\"value\": 10, \"team\": \"marketing\", \"note\": \"we looked again\"}");
            JsonNode gaps = get(server, "/v1/perception-gap?from=2026-01-01&to=2026-01-05")
                    .path("gaps");
            assertThat(gaps).hasSize(3);
            assertThat(gaps.findValuesAsText("verdict")).containsExactly("overestimated", "underestimated", "within");
            JsonNode first = gaps.get(0);
            assertThat(first.path("kpi").asText()).isEqualTo("nps");
            assertThat(first.path("by").path("touchpoint").asText()).isEqualTo("delivery");
            assertThat(first.path("believed").asDouble()).isEqualTo(60.0);
            assertThat(first.path("measured").asDouble()).isEqualTo(-37.5);
            assertThat(first.path("gap").asDouble()).isEqualTo(97.5);
            assertThat(first.path("n").asLong()).isEqualTo(8);
            assertThat(first.path("ci").get(1).asDouble()).isCloseTo(22.1114, within(1e-3));
            assertThat(first.path("team").asText()).isEqualTo("marketing");
            assertThat(first.path("raters").isNull()).isTrue();
            // the latest belief of a team counts; the history keeps both
            assertThat(gaps.get(2).path("believed").asDouble()).isEqualTo(10.0);
            JsonNode history = get(server, "/v1/kpis/nps/beliefs");
            assertThat(history.path("beliefs")).hasSize(4);
            assertThat(history.at("/beliefs/0/note").asText()).isEqualTo("we looked again");
            assertThat(history.at("/beliefs/0/author").asText()).isEqualTo("admin");
            assertThat(history.at("/beliefs/0/at").asText()).isEqualTo("2026-01-05T09:00:00Z");
        }
    }

    @Test
    void aDifferenceIsSignificantOnlyWhenItsIntervalExcludesZero() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, clock)) {
            for (int i = 0; i < 30; i++) {
                survey(server, "d" + i, "nps", 0, "delivery", "2026-01-02T10:00:00Z");
                survey(server, "a" + i, "nps", 10, "app", "2026-01-03T10:00:00Z");
            }
            server.awaitProcessed();
            // adjusted: 30.75/33 promoters against 0.75/33, 90.909 each way, variance 38.82 each
            JsonNode compare =
                    get(server, "/v1/kpis/nps?from=2026-01-03&to=2026-01-03").path("compare");
            assertThat(compare.path("difference").asDouble()).isEqualTo(200.0);
            assertThat(compare.path("ci").get(0).asDouble()).isCloseTo(164.548, within(1e-2));
            assertThat(compare.path("ci").get(1).asDouble()).isCloseTo(199.088, within(1e-2));
            assertThat(compare.path("significant").asBoolean()).isTrue();
            JsonNode both = get(server, "/v1/kpis/nps?from=2026-01-02&to=2026-01-03&by=touchpoint");
            assertThat(breakdown(both, "app").path("vsRest").path("significant").asBoolean())
                    .isTrue();
            assertThat(breakdown(both, "app").path("vsRest").path("difference").asDouble())
                    .isEqualTo(200.0);
        }
    }

    /** The answers, orders and checkouts of the data set, dated 2026-01-02 to 2026-01-05. */
    static void send(TestServer server) {
        int[] delivery = {10, 9, 3, 5, 6, 8, 2, 0};
        int[] checkout = {10, 10, 9, 9, 7, 8, 6};
        int u = 0;
        for (int s : delivery) {
            survey(server, "u" + u++, "nps", s, "delivery", "2026-01-02T10:00:00Z");
        }
        for (int s : checkout) {
            survey(server, "u" + u++, "nps", s, "checkout", "2026-01-03T10:00:00Z");
        }
        // answers outside the scale count nowhere
        survey(server, "u" + u++, "nps", 11, "checkout", "2026-01-03T10:00:00Z");
        for (int s : new int[] {5, 4, 3, 5, 1, 2, 4, 5, 5, 3}) {
            survey(server, "u" + u++, "csat", s, "support", "2026-01-04T10:00:00Z");
        }
        survey(server, "u" + u++, "csat", 9, "support", "2026-01-04T10:00:00Z");
        // four checkouts: c1 and c3 order within the day, c2 two days later, c4 never; c5 orders without a checkout
        for (String c : List.of("c1", "c2", "c3", "c4")) {
            track(server, c, "Checkout Started", "{}", "2026-01-03T08:00:00Z");
        }
        track(server, "c1", "Order Completed", "{\"total\": 10}", "2026-01-03T10:00:00Z");
        track(server, "c2", "Order Completed", "{\"total\": 20}", "2026-01-05T08:00:00Z");
        track(server, "c3", "Order Completed", "{\"total\": 30}", "2026-01-03T20:00:00Z");
        track(server, "c5", "Order Completed", "{\"total\": 40}", "2026-01-04T08:00:00Z");
        server.awaitProcessed();
    }

    private static void survey(TestServer server, String user, String survey, int score, String touchpoint, String at) {
        String props =
                "{\"survey\": \"" + survey + "\", \"score\": " + score + ", \"touchpoint\": \"" + touchpoint + "\"}";
        Http.Response r = server.track(
                "/v1/track",
                "{\"userId\": \"" + user + "\", \"event\": \"Survey Answered\", \"properties\": " + props
                        + ", \"context\": {\"channel\": \"" + (score % 2 == 0 ? "email" : "app")
                        + "\"}, \"timestamp\": \""
                        + at + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static void track(TestServer server, String user, String event, String props, String at) {
        Http.Response r = server.track(
                "/v1/track",
                "{\"userId\": \"" + user + "\", \"event\": \"" + event + "\", \"properties\": " + props
                        + ", \"timestamp\": \"" + at + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static JsonNode get(TestServer server, String path) {
        Http.Response r = server.admin(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.json();
    }

    private static void belief(TestServer server, String body) {
        Http.Response r = server.adminSend("POST", "/v1/kpis/nps/beliefs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static JsonNode breakdown(JsonNode kpi, String value) {
        for (JsonNode row : kpi.path("breakdown")) {
            if (row.path("value").asText().equals(value)) {
                return row;
            }
        }
        throw new AssertionError("no " + value + " in " + kpi.path("breakdown"));
    }

    /** value (or breakdown's kpi), ci and n, to four decimals. */
    static void assertEstimate(JsonNode e, double value, double low, double high, long n) {
        JsonNode v = e.has("kpi") && !e.has("key") ? e.path("kpi") : e.path("value");
        assertThat(v.asDouble()).as(e.toString()).isCloseTo(value, within(1e-3));
        assertThat(e.path("ci").get(0).asDouble()).as(e.toString()).isCloseTo(low, within(1e-3));
        assertThat(e.path("ci").get(1).asDouble()).as(e.toString()).isCloseTo(high, within(1e-3));
        assertThat(e.path("n").asLong()).isEqualTo(n);
    }
}
