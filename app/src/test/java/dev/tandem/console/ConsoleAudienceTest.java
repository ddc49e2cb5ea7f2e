package dev.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audiences in a real browser: a marketer builds one without writing CEL, sees the CEL, its estimated
 * size and a sample, saves it (a change); another marketer approves it from the inbox; the first sees
 * it computed. Members' emails are masked for an analyst and clear for a marketer, whose role has purposes.
 */
class ConsoleAudienceTest {
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
    void aMarketerBuildsAnAudienceAnotherApprovesItAndItIsComputed() {
        try (BrowserContext annContext = site.browser.newContext();
                BrowserContext miaContext = site.browser.newContext()) {
            Page ann = site.signIn(annContext, "ann", "/audiences/new");
            ann.fill("[name='g0.c0.name']", "2plan");
            ann.waitForSelector("#err-g0-c0-name:has-text('A name is letters')");
            ann.fill("[name='g0.c0.name']", "plan");
            ann.fill("[name='g0.c0.value']", "pro");
            ann.waitForSelector("#cel:has-text('traits.plan == \"pro\"')");
            assertThat(ann.locator("#err-g0-c0-name").textContent()).isEmpty();
            ann.click("text=Add a condition to group 1");
            ann.waitForSelector("[name='g0.c1.on']");
            ann.selectOption("[name='g0.c1.on']", new SelectOption().setValue("events"));
            ann.selectOption("[name='g0.c1.op']", new SelectOption().setValue("ge"));
            ann.fill("[name='g0.c1.value']", "1");
            ann.waitForSelector("#cel:has-text('event_count >= 1')");
            assertThat(ann.locator("#cel").textContent())
                    .isEqualTo("(has(traits.plan) && traits.plan == \"pro\") && event_count >= 1");
            ann.waitForSelector("[data-estimate]");
            assertThat(ann.locator("[data-estimate]").textContent()).isEqualTo("6");
            assertThat(ann.locator("#estimated table tbody tr").count()).isEqualTo(6);
            ann.click("#save");
            ann.waitForSelector("#key-error:has-text('A key is lower-case')");
            ann.fill("#key", "pro_buyers");
            ann.fill("#name", "Pro buyers");
            ConsoleSite.shoot(ann, "audience-builder");
            ann.click("#save");
            ann.waitForURL("**/audiences/pro_buyers?change=*");
            assertThat(ann.locator("[data-status]").textContent()).isEqualTo("pending");

            Page mia = site.signIn(miaContext, "mia", "/governance");
            String change = ann.url().replaceAll(".*change=", "");
            ConsoleSite.shoot(mia, "governance");
            mia.fill("#comment-" + change, "fine by marketing");
            mia.click("#change-" + change + " button[value=approve]");
            mia.waitForSelector("#change-" + change + " [data-status]:has-text('applied')");

            ann.waitForSelector("[data-status]:has-text('ready')");
            assertThat(ann.locator("[data-size]").textContent()).isEqualTo("6");
            ann.navigate(site.server.url() + "/audiences");
            assertThat(ann.locator("[data-audience=pro_buyers] [data-size]").textContent())
                    .isEqualTo("6");
        }
    }

    @Test
    void anAnalystSeesMembersEmailsMaskedWhereAMarketerSeesThem() {
        assertThat(site.server
                        .adminSend(
                                "POST",
                                "/v1/admin/audiences",
                                "{\"key\": \"everyone\", \"name\": \"Everyone\", \"owners\": [\"marketing\"],"
                                        + " \"condition\": \"event_count > 0\"}")
                        .status())
                .isEqualTo(201);
        try (BrowserContext ivyContext = site.browser.newContext();
                BrowserContext annContext = site.browser.newContext()) {
            Page ivy = site.signIn(ivyContext, "ivy", "/audiences/everyone");
            ivy.waitForSelector("[data-status]:has-text('ready')");
            ivy.reload();
            String seen = ivy.locator("#mem-h + table").textContent();
            assertThat(seen).contains("***").doesNotContain("c1@example.com");
            Page ann = site.signIn(annContext, "ann", "/audiences/everyone");
            ConsoleSite.shoot(ann, "audience");
            assertThat(ann.locator("#mem-h + table").textContent()).contains("c1@example.com");
        }
    }
}
