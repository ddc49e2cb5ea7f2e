package dev.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command center's KPI tile in a real browser shows the value the KPI API answers, with its
 * interval and n, and the perception gap shows a belief above the measured interval as overestimated.
 */
class ConsoleKpiTest {
    static final String WORKSPACE = """
            kpis:
              - key: nps
                name: Likelihood to recommend
                owners: [marketing, it]
                type: nps
                events: "event == 'Survey Answered' && properties.survey == 'nps'"
                value: "properties.score"
                by: { touchpoint: "properties.touchpoint" }
                target: 40
            placements:
              - key: home_hero
                name: Home page hero
                owners: [marketing]
                rules:
                  - name: sale pages
                    when: has(context.page) && context.page.path.startsWith("/sale")
                    variant: sale
                    content: {headline: Sale on now}
                default: {variant: new_season, content: {headline: The new season is here}}
                experiment:
                  key: hero_copy
                  name: Hero copy test
                  goal: Order Completed
                  variants:
                    - {key: control, weight: 50, control: true}
                    - {key: trail_story, weight: 50, content: {headline: Made for the trail}}
            """;

    @TempDir
    static Path dir;

    static ConsoleSite site;

    @BeforeAll
    static void start() {
        site = new ConsoleSite(TestServer.withWorkspace(StoreKind.SQLITE, dir, WORKSPACE));
        int[] scores = {10, 9, 9, 8, 7, 10, 3, 6, 9, 2, 10, 5};
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < scores.length; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append("{\"type\": \"track\", \"userId\": \"s")
                    .append(i)
                    .append("\", \"event\": \"Survey Answered\", \"properties\": {\"survey\": \"nps\", \"score\": ")
                    .append(scores[i])
                    .append(", \"touchpoint\": \"")
                    .append(i % 2 == 0 ? "delivery" : "checkout")
                    .append("\"}}");
        }
        assertThat(site.server.track("/v1/batch", batch.append("]}").toString()).status())
                .isEqualTo(200);
        site.server.awaitProcessed();
        assertThat(site.server
                        .adminSend(
                                "POST",
                                "/v1/kpis/nps/beliefs",
                                "{\"by\": {\"touchpoint\": \"delivery\"}, \"value\": 90, \"team\": \"marketing\"}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void anInitiativeShowsItsCheckpointsOnATimeline() {
        String later =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString();
        var made = site.server.adminSend(
                "POST",
                "/v1/initiatives",
                "{\"key\": \"faster-delivery\", \"name\": \"Faster delivery\", \"goal\": \"Parcels in a day\","
                        + " \"owners\": {\"marketing\": \"ann\", \"it\": \"sam\"},"
                        + " \"kpis\": [{\"kpi\": \"nps\", \"baseline\": 0, \"target\": 40}],"
                        + " \"checkpoints\": [{\"date\": \"" + later
                        + "\", \"expected\": 40, \"milestone\": \"second carrier\"}]}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        try (BrowserContext context = site.browser.newContext()) {
            Page page = site.signIn(context, "sam", "/initiatives");
            assertThat(page.locator("[data-initiative=faster-delivery] .timeline li")
                            .textContent())
                    .contains(later)
                    .contains("upcoming")
                    .contains("second carrier");
            ConsoleSite.shoot(page, "initiatives");
        }
    }

    @Test
    void placementsForAdminsAndExperimentResultsForEveryRoleThatReadsThem() {
        try (BrowserContext context = site.browser.newContext()) {
            Page page = site.signIn(context, "ada", "/decisions");
            assertThat(page.locator("main").textContent())
                    .contains("sale pages")
                    .contains("new_season");
            assertThat(page.locator("[data-experiment=hero_copy] tbody tr").allTextContents())
                    .hasSize(2)
                    .anySatisfy(row -> assertThat(row).contains("control"))
                    .anySatisfy(row -> assertThat(row).contains("trail_story"));
            page.waitForTimeout(300); // Chart.js draws once loaded
            ConsoleSite.shoot(page, "decisions");
        }
        try (BrowserContext context = site.browser.newContext()) {
            Page page = site.signIn(context, "sam", "/decisions?experiment=hero_copy");
            assertThat(page.locator("main").textContent())
                    .contains("Placements and their rules are for admins; sam is a steward.");
            assertThat(page.locator("[data-experiment=hero_copy]").count()).isEqualTo(1);
            page.fill("#experiment", "nope");
            page.press("#experiment", "Enter");
            page.waitForURL("**/decisions?experiment=nope");
            assertThat(page.locator("#experiment-error").textContent())
                    .contains("No placement runs an experiment with the key 'nope'");
        }
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void theNpsTileShowsTheValueTheApiAnswers() {
        JsonNode nps = site.server.admin("/v1/kpis").json().path("kpis").get(0);
        assertThat(nps.path("key").asText()).isEqualTo("nps");
        assertThat(nps.path("n").asLong()).isEqualTo(12);
        try (BrowserContext context = site.browser.newContext()) {
            Page page = site.signIn(context, "ann", "/");
            String tile = "[data-kpi=nps] ";
            assertThat(page.locator(tile + "[data-value]").textContent()).isEqualTo(Show.number(nps.path("value")));
            assertThat(page.locator(tile + ".ci").textContent())
                    .isEqualTo("95% interval " + Show.interval(nps.path("ci")) + " · n = 12");
            assertThat(page.locator(tile + "[data-status]").textContent())
                    .isEqualTo(Show.status(nps.path("status").asText()));
            assertThat(page.locator("tr.overestimated").textContent())
                    .contains("delivery")
                    .contains("90");
            page.waitForTimeout(300); // the sparklines are drawn once Chart.js has loaded
            ConsoleSite.shoot(page, "command-center");
        }
    }
}
