package dev.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acting on governance from the console in a real browser: an admin classifies a field and the
 * catalog API then says so; a tracking plan proposed from the console waits for a steward's approval
 * and is then in force; an access request started from the console is listed with its due date; a
 * steward is refused the admin parts in the API's words.
 */
class ConsoleGovernanceTest {
    static final String PLAN = "{\"sources\": [\"test\"], \"mode\": \"block\", \"owners\": [\"it\"], "
            + "\"events\": {\"Order Completed\": {\"type\": \"object\", \"required\": [\"total\"], "
            + "\"properties\": {\"total\": {\"type\": \"number\"}}}}}";

    @TempDir
    static Path dir;

    static ConsoleSite site;

    @BeforeAll
    static void start() {
        site = new ConsoleSite(dir);
        site.customers(4);
        site.server.track(
                "/v1/track",
                "{\"userId\": \"c1\", \"event\": \"Joined\", \"properties\": {\"loyalty_tier\": \"gold\"}}");
        site.server.awaitProcessed();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void anAdminClassifiesAFieldAndAStewardIsRefusedInTheApisWords() {
        try (BrowserContext adaContext = site.browser.newContext();
                BrowserContext samContext = site.browser.newContext()) {
            Page ada = site.signIn(adaContext, "ada", "/governance/fields");
            String row = "tr[data-field-path='properties.loyalty_tier']";
            ada.waitForSelector(row);
            ada.selectOption(row + " select", new SelectOption().setValue("restricted"));
            ada.click(row + " button");
            ada.waitForSelector(row + " [role=status]:has-text('Saved')");
            assertThat(ada.locator(row + " [role=status]").textContent())
                    .isEqualTo("Saved: properties.loyalty_tier is restricted.");
            ConsoleSite.shoot(ada, "fields");
            JsonNode field = null;
            for (JsonNode f : site.server.admin("/v1/admin/fields").json().path("fields")) {
                if (f.path("path").asText().equals("properties.loyalty_tier")) {
                    field = f;
                }
            }
            assertThat(field).isNotNull();
            assertThat(field.path("fieldClass").asText()).isEqualTo("restricted");
            assertThat(field.path("reviewed").asBoolean()).isTrue();

            Page sam = site.signIn(samContext, "sam", "/governance/fields");
            assertThat(sam.locator("#fields-error").textContent())
                    .isEqualTo("This route is for admins; sam is a steward.");
            sam.navigate(site.server.url() + "/governance/privacy");
            assertThat(sam.locator("#privacy-error").textContent())
                    .isEqualTo("This route is for admins; sam is a steward.");
        }
    }

    @Test
    void aPlanProposedFromTheConsoleWaitsForAStewardAndIsThenInForce() {
        try (BrowserContext adaContext = site.browser.newContext();
                BrowserContext samContext = site.browser.newContext()) {
            Page ada = site.signIn(adaContext, "ada", "/governance/plans");
            ada.fill("#plan-key", "orders");
            ada.fill("#plan-declaration", "{\"sources\": [\"test\"], \"mode\": ");
            ada.click("#proposal button");
            ada.waitForSelector("#proposal-said:has-text('not a JSON object')");
            ada.fill("#plan-declaration", PLAN.replace("\"block\"", "\"strict\""));
            ada.click("#proposal button");
            ada.waitForSelector("#proposal-said:has-text('allow, omit')");
            assertThat(ada.locator("#plan-declaration").getAttribute("aria-invalid"))
                    .isEqualTo("true");
            ada.fill("#plan-declaration", PLAN);
            ada.click("#proposal button");
            ada.waitForSelector("#proposal-said:has-text('Proposed as change')");
            String said = ada.locator("#proposal-said").textContent();
            String change = said.replaceAll("Proposed as change (\\d+).*", "$1");
            assertThat(site.server
                            .admin("/v1/changes/" + change)
                            .json()
                            .path("kind")
                            .asText())
                    .isEqualTo("trackingPlan");
            assertThat(site.server.admin("/v1/tracking-plans/orders").status()).isEqualTo(404);

            Page sam = site.signIn(samContext, "sam", "/governance");
            sam.click("#change-" + change + " button[value=approve]");
            sam.waitForSelector("#change-" + change + " [data-status]:has-text('applied')");

            ada.navigate(site.server.url() + "/governance/plans");
            ada.click("a[href='/governance/plans/orders']");
            ada.waitForURL("**/governance/plans/orders");
            assertThat(ada.locator("[data-field=mode]").textContent()).isEqualTo("block");
            assertThat(ada.locator("#plan-declaration").inputValue()).contains("\"Order Completed\"");
            ConsoleSite.shoot(ada, "tracking-plan");
            site.server.track("/v1/track", "{\"userId\": \"c2\", \"event\": \"Order Completed\", \"properties\": {}}");
            assertThat(site.server
                            .admin("/v1/tracking-plans/orders/violations")
                            .json()
                            .path("total")
                            .asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void anAccessRequestStartedFromTheConsoleIsListedWithItsDueDate() {
        try (BrowserContext adaContext = site.browser.newContext()) {
            Page ada = site.signIn(adaContext, "ada", "/governance/privacy");
            ada.click("#privacy-start button");
            ada.waitForSelector("#dsr-said:has-text('Give the subject')");
            ada.selectOption("#dsr-type", new SelectOption().setValue("access"));
            ada.fill("#dsr-identity-value", "c3@example.com");
            ada.click("#privacy-start button");
            ada.waitForSelector("#dsr-said:has-text('Started access request')");
            String id = ada.locator("#dsr-said a").getAttribute("href").replace("/governance/privacy/", "");
            JsonNode request = site.server.admin("/opendsr/requests/" + id).json();
            String due = request.path("expected_completion_time").asText();
            ada.navigate(site.server.url() + "/governance/privacy");
            String row = "tr[data-request='" + id + "']";
            assertThat(ada.locator(row + " [data-due]").textContent())
                    .isEqualTo(due.substring(0, 10) + " " + due.substring(11, 16));
            ConsoleSite.shoot(ada, "privacy");
            ada.click(row + " a");
            ada.waitForURL("**/governance/privacy/" + id);
            assertThat(ada.locator("[data-field=type]").textContent()).isEqualTo("access");
            assertThat(ada.locator("[data-field=status]").textContent()).isNotBlank();
        }
    }
}
