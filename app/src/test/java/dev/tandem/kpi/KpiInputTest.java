package dev.tandem.kpi;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong KPI definitions stop start-up with the line and the fix; every bad request gets a JSON error that names its field. */
class KpiInputTest {
    private static final String NPS = """
            kpis:
              - key: nps
                name: Likelihood to recommend
                owners: [marketing, it]
                type: nps
                events: "event == 'Survey Answered'"
                value: "properties.score"
                by: { touchpoint: "properties.touchpoint" }
                target: 40
            """;

    @TempDir
    Path dir;

    @Test
    void wrongDefinitionsStopStartUpNamingTheLineAndTheFix() {
        record Case(String yaml, String says) {}
        String head = "kpis:\n  - key: k\n    name: K\n    owners: [marketing]\n";
        for (Case c : List.of(
                new Case(head + "    type: median\n    events: \"true\"\n", "the KPI type 'median' is not known"),
                new Case(head + "    type: nps\n    events: \"event ==\"\n    value: \"properties.score\"\n", "line 6"),
                new Case(head + "    type: nps\n    events: \"event == 1\"\n    value: \"1\"\n", "KPI expression"),
                new Case(head + "    type: nps\n    value: \"properties.score\"\n", "the KPI's events"),
                new Case(
                        head + "    type: top_box\n    events: \"true\"\n    value: \"1\"\n    scale: [1, 5]\n"
                                + "    box: [4, 6]\n",
                        "must lie within the scale [1, 5]"),
                new Case(
                        head + "    type: top_box\n    events: \"true\"\n    value: \"1\"\n    scale: [5, 1]\n"
                                + "    box: [4, 5]\n",
                        "from low to high"),
                new Case(head + "    type: count\n    events: \"true\"\n    value: \"1\"\n", "takes no 'value'"),
                new Case(head + "    type: conversion\n    numerator: \"true\"\n", "denominator"),
                new Case(
                        head + "    type: conversion\n    numerator: \"true\"\n    denominator: \"true\"\n"
                                + "    window: forever\n",
                        "positive duration"),
                new Case(
                        head + "    type: count\n    events: \"true\"\n    target: high\n",
                        "'target' must be a number"),
                new Case(head + "    type: count\n    events: \"true\"\n    colour: red\n", "unknown field 'colour'"),
                new Case(
                        head + "    type: count\n    events: \"true\"\n    by: { Touch-Point: \"1\" }\n",
                        "dimension name"),
                new Case("kpis:\n  - key: Bad Key\n    name: K\n    owners: [it]\n    type: count\n", "lower-case"),
                new Case("kpis:\n  - key: k\n    name: K\n    type: count\n    events: \"true\"\n", "'owners'"),
                new Case(
                        head + "    type: count\n    events: \"true\"\n" + head.substring(5)
                                + "    type: count\n    events: \"true\"\n",
                        "used twice"))) {
            assertThatThrownBy(() -> TestServer.withWorkspace(StoreKind.SQLITE, dir, c.yaml()))
                    .as(c.yaml())
                    .hasMessageContaining(c.says());
        }
    }

    @Test
    void badQueriesAndBeliefsAreRefusedWithTheirField() {
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, NPS)) {
            assertError(server.admin("/v1/kpis/nope"), 404, "unknown_kpi");
            assertError(server.admin("/v1/kpis/nope/beliefs"), 404, "unknown_kpi");
            assertError(server.adminSend("POST", "/v1/kpis/nope/beliefs", "{\"value\": 1}"), 404, "unknown_kpi");
            field(server.admin("/v1/kpis?from=yesterday"), 400, "invalid_date", "from");
            field(server.admin("/v1/kpis/nps?to=2026-13-01"), 400, "invalid_date", "to");
            field(server.admin("/v1/kpis/nps?from=2026-02-01&to=2026-01-01"), 400, "invalid_range", "from");
            field(server.admin("/v1/kpis?from=2000-01-01&to=2026-01-01"), 400, "range_too_long", "from");
            field(server.admin("/v1/kpis/nps?interval=hour"), 400, "invalid_interval", "interval");
            field(server.admin("/v1/kpis/nps?by=country"), 400, "unknown_dimension", "by");
            field(server.admin("/v1/perception-gap?from=x"), 400, "invalid_date", "from");
            String beliefs = "/v1/kpis/nps/beliefs";
            field(
                    post(server, beliefs, "{\"value\": \"sixty\", \"team\": \"marketing\"}"),
                    400,
                    "invalid_value",
                    "value");
            field(post(server, beliefs, "{\"team\": \"marketing\"}"), 400, "invalid_value", "value");
            field(
                    post(server, beliefs, "{\"value\": 150, \"team\": \"marketing\"}"),
                    400,
                    "value_out_of_range",
                    "value");
            field(post(server, beliefs, "{\"value\": 10, \"team\": \"sales\"}"), 400, "unknown_team", "team");
            field(post(server, beliefs, "{\"value\": 10}"), 400, "missing_field", "team");
            field(post(server, beliefs, "{\"value\": 10, \"team\": 7}"), 400, "invalid_field", "team");
            field(
                    post(server, beliefs, "{\"value\": 10, \"team\": \"it\", \"by\": {\"country\": \"fr\"}}"),
                    400,
                    "unknown_dimension",
                    "by");
            field(
                    post(
                            server,
                            beliefs,
                            "{\"value\": 10, \"team\": \"it\", \"by\": {\"touchpoint\": \"a\", \"x\": \"b\"}}"),
                    400,
                    "invalid_by",
                    "by");
            field(
                    post(server, beliefs, "{\"value\": 10, \"team\": \"it\", \"by\": {\"touchpoint\": 3}}"),
                    400,
                    "invalid_field",
                    "by.touchpoint");
            field(
                    post(server, beliefs, "{\"value\": 10, \"team\": \"it\", \"mood\": 1}"),
                    400,
                    "unknown_field",
                    "mood");
            field(
                    post(server, beliefs, "{\"value\": 10, \"team\": \"it\", \"note\": \"" + "x".repeat(1001) + "\"}"),
                    400,
                    "note_too_long",
                    "note");
            assertError(post(server, beliefs, "{\"value\": "), 400, "invalid_json");
            assertError(post(server, beliefs, "[1, 2]"), 400, "invalid_body");
            assertError(post(server, beliefs, "{\"note\": \"" + "x".repeat(100_000) + "\"}"), 400, "body_too_large");
            assertError(post(server, beliefs, "{\"note\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}"), 413, "http_413");
            // a rating is a person's: the admin token holds every scope but is nobody
            assertError(post(server, "/v1/kpis/nps/ratings", "{\"value\": 10}"), 403, "not_a_person");
            // nothing was stored by any of them
            assertThat(server.admin(beliefs).json().path("beliefs")).isEmpty();
        }
    }

    @Test
    void withoutCredentialsOrScopeTheRoutesRefuse() {
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, NPS)) {
            for (String path : List.of("/v1/kpis", "/v1/kpis/nps", "/v1/kpis/nps/beliefs", "/v1/perception-gap")) {
                assertError(server.http().get(path), 401, "missing_token");
            }
            assertError(server.http().post("/v1/kpis/nps/beliefs", "{\"value\": 1}"), 401, "missing_token");
            String feedOnly = token(server, "[\"feed:read\"]");
            assertError(server.http().get("/v1/kpis", "Authorization", "Bearer " + feedOnly), 403, "missing_scope");
            String reader = token(server, "[\"kpis:read\"]");
            assertThat(server.http()
                            .get("/v1/kpis", "Authorization", "Bearer " + reader)
                            .status())
                    .isEqualTo(200);
            assertError(
                    server.http()
                            .post(
                                    "/v1/kpis/nps/beliefs",
                                    "{\"value\": 1, \"team\": \"it\"}",
                                    "Authorization",
                                    "Bearer " + reader,
                                    "Content-Type",
                                    "application/json"),
                    403,
                    "missing_scope");
            assertError(server.http().send(put(server, "/v1/admin/kpis/x")), 401, "missing_token");
        }
    }

    private static java.net.http.HttpRequest.Builder put(TestServer server, String path) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"));
    }

    private static String token(TestServer server, String scopes) {
        Http.Response r = server.adminSend(
                "POST", "/v1/admin/tokens", "{\"name\": \"t" + scopes.hashCode() + "\", \"scopes\": " + scopes + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("token").asText();
    }

    private static Http.Response post(TestServer server, String path, String body) {
        return server.adminSend("POST", path, body);
    }

    private static void field(Http.Response r, int status, String code, String field) {
        assertError(r, status, code);
        assertThat(r.json().path("error").path("field").asText()).as(r.body()).isEqualTo(field);
    }
}
