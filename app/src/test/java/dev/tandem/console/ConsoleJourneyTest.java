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
 * Journeys and long jobs in a real browser: a journey's steps are drawn in order with the counts the
 * stats API answers, the goal against the holdout with its interval; an admin pauses and resumes it,
 * a marketer is offered no such button and an analyst is refused in the API's words; the jobs page
 * shows retention's archive with its progress.
 */
class ConsoleJourneyTest {
    static final String WORKSPACE = """
            destinations:
              - key: email_tool
                type: webhook
                owners: [it]
                settings: { url: "http://127.0.0.1:9/hook", secret: "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" }
                purposes: [email_marketing]
            journeys:
              - key: welcome
                name: Welcome series
                owners: [marketing, it]
                entry: { event: "event == 'Signed Up'" }
                holdout: 50
                goal: { event: "event == 'Order Completed'", within: 14d }
                steps:
                  - send: { destination: email_tool, channel: email, message: { template: welcome_1 } }
                  - wait: 2d
                  - send: { destination: email_tool, channel: email, message: { template: welcome_2 } }
            """;

    @TempDir
    static Path dir;

    static ConsoleSite site;

    @BeforeAll
    static void start() {
        site = new ConsoleSite(TestServer.withWorkspace(StoreKind.SQLITE, dir, WORKSPACE));
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < 40; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append("{\"type\": \"track\", \"userId\": \"u")
                    .append(i)
                    .append("\", \"event\": \"Signed Up\"}");
        }
        for (int i = 0; i < 40; i += 3) {
            batch.append(",{\"type\": \"track\", \"userId\": \"u")
                    .append(i)
                    .append("\", \"event\": \"Order Completed\"}");
        }
        assertThat(site.server.track("/v1/batch", batch.append("]}").toString()).status())
                .isEqualTo(200);
        site.server.awaitProcessed();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void aJourneysStepsShowTheStatsCountsAndAnAdminPausesAndResumesIt() {
        JsonNode stats = site.server.admin("/v1/journeys/welcome/stats").json();
        try (BrowserContext adaContext = site.browser.newContext();
                BrowserContext annContext = site.browser.newContext()) {
            Page ada = site.signIn(adaContext, "ada", "/journeys");
            ada.click("a[href='/journeys/welcome']");
            ada.waitForURL("**/journeys/welcome");
            assertThat(ada.locator("#flow > li").count())
                    .isEqualTo(stats.path("steps").size());
            for (JsonNode step : stats.path("steps")) {
                String li = "#flow > li[data-step='" + step.path("step").asText() + "']";
                for (String count : JourneyPages.COUNTS) {
                    assertThat(ada.locator(li + " [data-count=" + count + "] strong")
                                    .textContent())
                            .as(step.path("step").asText() + " " + count)
                            .isEqualTo(Long.toString(step.path(count).asLong()));
                }
            }
            JsonNode goal = stats.path("goal");
            assertThat(goal.path("journey").path("entered").asLong()
                            + goal.path("holdout").path("entered").asLong())
                    .isEqualTo(40);
            assertThat(ada.locator("#goal tr[data-side=journey] td").first().textContent())
                    .isEqualTo(
                            Long.toString(goal.path("journey").path("entered").asLong()));
            assertThat(ada.locator("#uplift").textContent()).contains("95% interval");
            ConsoleSite.shoot(ada, "journey");

            ada.click("#journey-status button:has-text('Pause')");
            ada.waitForSelector("#journey-status [data-status]:has-text('paused')");
            assertThat(site.server
                            .admin("/v1/journeys/welcome")
                            .json()
                            .path("status")
                            .asText())
                    .isEqualTo("paused");
            ada.click("#journey-status button:has-text('Resume')");
            ada.waitForSelector("#journey-status [data-status]:has-text('live')");
            assertThat(site.server
                            .admin("/v1/journeys/welcome")
                            .json()
                            .path("status")
                            .asText())
                    .isEqualTo("live");

            Page ann = site.signIn(annContext, "ann", "/journeys/welcome");
            assertThat(ann.locator("#flow > li").count())
                    .isEqualTo(stats.path("steps").size());
            assertThat(ann.locator("#journey-status button").count()).isZero();
        }
    }

    @Test
    void anAnalystIsRefusedJourneysInTheApisWords() {
        try (BrowserContext context = site.browser.newContext()) {
            Page ivy = site.signIn(context, "ivy", "/journeys");
            assertThat(ivy.locator("#journeys-error").textContent())
                    .isEqualTo("ivy is a analyst, a role without the 'journeys:read' scope.");
            assertThat(ivy.locator("nav a").allTextContents()).doesNotContain("Journeys", "Jobs");
        }
    }

    @Test
    void theJobsPageShowsRetentionsArchiveWithItsProgress() {
        try (BrowserContext context = site.browser.newContext()) {
            Page ada = site.signIn(context, "ada", "/jobs");
            String row = "#jobs tr[data-kind='retain.archive']";
            ada.waitForSelector(row);
            assertThat(ada.locator(row + " progress").count()).isEqualTo(1);
            JsonNode progress = null;
            for (JsonNode k : site.server.admin("/v1/admin/jobs").json().path("kinds")) {
                if (k.path("kind").asText().equals("retain.archive")) {
                    progress = k.path("progress");
                }
            }
            assertThat(progress).isNotNull();
            assertThat(ada.locator(row + " [data-progress]").textContent())
                    .startsWith(progress.path("state").asText() + ": ");
            assertThat(ada.locator("#jobs-panel").getAttribute("hx-trigger")).isEqualTo("every 2s");
            ConsoleSite.shoot(ada, "jobs");
        }
    }
}
