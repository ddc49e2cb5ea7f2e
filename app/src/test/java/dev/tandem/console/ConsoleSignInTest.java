package dev.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.tandem.connect.Receiver;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in to the console in a real browser: a visitor is sent to the sign-in page and comes back
 * where they were going; the navigation shows only what the role opens, and a page the role lacks is
 * refused in words.
 */
class ConsoleSignInTest {
    @TempDir
    static Path dir;

    static ConsoleSite site;

    @BeforeAll
    static void start() {
        site = new ConsoleSite(dir);
        site.customers(12);
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void aVisitorSignsInAndComesBackToThePageTheyOpened() {
        try (BrowserContext context = site.browser.newContext()) {
            Page page = site.signIn(context, "ann", "/customers?id=user_id:c2");
            assertThat(page.locator("h1").textContent()).isEqualTo("Customers");
            assertThat(page.locator("[data-field=plan]").textContent()).isEqualTo("pro");
            assertThat(page.locator("[data-field=email]").textContent()).isEqualTo("c2@example.com");
            ConsoleSite.shoot(page, "customer");
            page.navigate(site.server.url() + "/");
            page.waitForSelector("#kpis-h");
            assertThat(page.locator("nav a").allTextContents())
                    .containsExactly(
                            "Command center",
                            "Customers",
                            "Audiences",
                            "Journeys",
                            "Decisions",
                            "Initiatives",
                            "Governance");
            assertThat(page.locator("#panels").textContent()).contains("Destinations' health is for admins");
        }
    }

    @Test
    void anAnalystIsNotOfferedCustomersAndIsRefusedInWords() {
        try (BrowserContext context = site.browser.newContext()) {
            Page page = site.signIn(context, "ivy", "/");
            assertThat(page.locator("nav a").allTextContents())
                    .containsExactly("Command center", "Audiences", "Decisions", "Initiatives", "Governance");
            page.navigate(site.server.url() + "/customers?id=user_id:c2");
            assertThat(page.locator("#id-error").textContent())
                    .isEqualTo("Customer profiles are for roles that read personal data; ivy is an analyst.");
        }
    }

    @Test
    void anAdminSeesDestinationsHealthAndFunnelAndAMarketerIsRefused() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
            var made = site.server.adminSend(
                    "POST",
                    "/v1/destinations",
                    "{\"key\": \"hook\", \"type\": \"webhook\", \"owners\": [\"it\"], \"settings\": {\"url\": \""
                            + receiver.url("/hook") + "\", \"secret\": \"" + secret
                            + "\"}, \"purposes\": [\"analytics\"], \"events\": \"type == 'track'\"}");
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            for (int i = 0; i < 3; i++) {
                site.server.track("/v1/track", "{\"userId\": \"c" + i + "\", \"event\": \"Viewed\"}");
            }
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> site.server
                                    .admin("/v1/destinations/hook/health")
                                    .json()
                                    .path("delivered")
                                    .asLong()
                            == 3);
            try (BrowserContext context = site.browser.newContext()) {
                Page page = site.signIn(context, "ada", "/destinations");
                assertThat(page.locator("[data-destination=hook] [data-state]").textContent())
                        .isNotBlank();
                assertThat(page.locator("[data-destination=hook] canvas").getAttribute("aria-label"))
                        .contains("3 delivered");
                page.waitForTimeout(300); // Chart.js draws once loaded
                ConsoleSite.shoot(page, "destinations");
                page.navigate(site.server.url() + "/");
                assertThat(page.locator("#panels .states").textContent()).contains("hook");
            }
            try (BrowserContext context = site.browser.newContext()) {
                Page page = site.signIn(context, "ann", "/destinations");
                assertThat(page.locator("main").textContent())
                        .contains("Destinations are for admins; ann is a marketer.");
            }
        }
    }

    @Test
    void aWrongIdentifierIsExplainedNextToTheField() {
        try (BrowserContext context = site.browser.newContext()) {
            Page page = site.signIn(context, "sam", "/customers");
            page.fill("#id", "ann@example.com");
            page.press("#id", "Enter");
            page.waitForSelector("text=Write an identifier as type:value");
            assertThat(page.locator("#id").getAttribute("aria-describedby")).isEqualTo("id-error");
            page.fill("#id", "email:nobody@example.com");
            page.press("#id", "Enter");
            page.waitForURL("**/customers?id=email%3Anobody%40example.com");
            assertThat(page.locator("#id-error").textContent()).isNotBlank();
        }
    }
}
