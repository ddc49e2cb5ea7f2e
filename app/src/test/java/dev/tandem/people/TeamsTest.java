package dev.tandem.people;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.ConfigException;
import dev.tandem.testing.Http;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Teams beyond the built-in {@code marketing} and {@code it}, declared with the server setting
 * {@code teams}, each on a side; a person's team must be a known one, and every answer about a
 * person says the side of their team.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class TeamsTest {
    private final StoreKind store;
    private final Map<String, String> settings = new HashMap<>();

    @TempDir
    Path dir;

    private TestServer server;

    TeamsTest(StoreKind store) {
        this.store = store;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void declaredTeamsHaveASideThatEveryAnswerAboutAPersonShows() {
        if (store == StoreKind.POSTGRESQL) {
            settings.put("databaseUrl", Postgres.freshDatabaseUrl());
        }
        server = start("growth:marketing, platform:it");
        assertThat(add("gina", "growth", "marketer").path("side").asText()).isEqualTo("marketing");
        assertThat(add("pete", "platform", "admin").path("side").asText()).isEqualTo("it");
        assertThat(add("ann", "marketing", "marketer").path("side").asText()).isEqualTo("marketing");
        assertThat(add("ivan", "it", "steward").path("side").asText()).isEqualTo("it");

        Http.Response unknown = server.adminSend(
                "POST", "/v1/admin/people", "{\"name\": \"sam\", \"team\": \"sales\", \"role\": \"marketer\"}");
        assertError(unknown, 400, "invalid_team");
        assertThat(unknown.json().at("/error/message").asText())
                .contains("growth (marketing)", "it (it)", "marketing (marketing)", "platform (it)")
                .contains("server setting teams");
        assertThat(unknown.json().at("/error/field").asText()).isEqualTo("team");

        JsonNode teams = server.admin("/v1/admin/teams").json().path("teams");
        assertThat(teams.findValuesAsText("name")).containsExactly("growth", "it", "marketing", "platform");
        assertThat(teams.findValuesAsText("side")).containsExactly("marketing", "it", "marketing", "it");
        assertError(server.http().get("/v1/admin/teams"), 401, "missing_token");

        JsonNode moved = server.adminSend("PUT", "/v1/admin/people/gina", "{\"team\": \"platform\"}")
                .json();
        assertThat(moved.path("team").asText()).isEqualTo("platform");
        assertThat(moved.path("side").asText()).isEqualTo("it");
        assertError(server.adminSend("PUT", "/v1/admin/people/gina", "{\"team\": \"sales\"}"), 400, "invalid_team");
        JsonNode listed = server.admin("/v1/admin/people").json().path("people");
        assertThat(listed.findValuesAsText("side")).containsExactly("marketing", "it", "it", "it");

        // the session's answer says the side too
        String link = server.adminSend("POST", "/v1/admin/people/pete/link", null)
                .json()
                .path("link")
                .asText();
        String password = "correct horse battery staple";
        server.http()
                .post(
                        "/v1/people/password",
                        "{\"link\": \"" + link + "\", \"password\": \"" + password + "\"}",
                        "Content-Type",
                        "application/json");
        Http.Response in = server.http()
                .post(
                        "/v1/session",
                        "{\"name\": \"pete\", \"password\": \"" + password + "\"}",
                        "Content-Type",
                        "application/json");
        assertThat(in.json().path("side").asText()).isEqualTo("it");

        // a team no longer declared: its people keep it, with no side, until they are moved
        server.close();
        server = start("");
        JsonNode after = server.admin("/v1/admin/people").json().path("people");
        assertThat(after.get(1).path("name").asText()).isEqualTo("gina");
        assertThat(after.get(1).path("team").asText()).isEqualTo("platform");
        assertThat(after.get(1).path("side").isNull()).isTrue();
        assertThat(server.adminSend("PUT", "/v1/admin/people/gina", "{\"role\": \"analyst\"}")
                        .status())
                .isEqualTo(200);
        assertThat(server.adminSend("PUT", "/v1/admin/people/gina", "{\"team\": \"it\"}")
                        .json()
                        .path("side")
                        .asText())
                .isEqualTo("it");
    }

    @Test
    void aTeamWithoutASideOrABadNameOrABuiltInMovedStopsTheStart() {
        for (String[] bad : new String[][] {
            {"growth", "needs its side"},
            {"growth:sales", "needs its side"},
            {"Growth Team:marketing", "is not a team name"},
            {"marketing:it", "built in on the marketing side"},
            {"growth:marketing, growth:it", "given two sides"}
        }) {
            assertThatThrownBy(() -> start(bad[0]))
                    .as(bad[0])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("teams")
                    .hasMessageContaining(bad[1]);
        }
    }

    private TestServer start(String teams) {
        Map<String, String> values = new HashMap<>(settings);
        values.put("teams", teams);
        return TestServer.start(store, dir, Clock.systemUTC(), values);
    }

    private JsonNode add(String name, String team, String role) {
        Http.Response r = server.adminSend(
                "POST",
                "/v1/admin/people",
                "{\"name\": \"" + name + "\", \"team\": \"" + team + "\", \"role\": \"" + role + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }
}
