package dev.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
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
                    .containsExactly("Command center", "Customers", "Audiences", "Initiatives", "Governance");
            assertThat(page.locator("#panels").textContent()).contains("Destinations' health is for admins");
        }
    }

    @Test
    void anAnalystIsNotOfferedCustomersAndIsRefusedInWords() {
        try (BrowserContext context = site.browser.newContext()) {
            Page page = site.signIn(context, "ivy", "/");
            assertThat(page.locator("nav a").allTextContents())
                    .containsExactly("Command center", "Audiences", "Initiatives", "Governance");
            page.navigate(site.server.url() + "/customers?id=user_id:c2");
            assertThat(page.locator("#id-error").textContent())
                    .isEqualTo("Customer profiles are for roles that read personal data; ivy is an analyst.");
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
