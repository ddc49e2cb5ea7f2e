package dev.tandem.people;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import dev.tandem.testing.Browser;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sign-in link in a real browser: the person opens it, chooses a password, is signed in with an
 * HttpOnly cookie the page's script cannot read, and the link leaves the address bar; later they
 * sign in with the password, and a wrong one shows the server's message.
 */
class SignInPageTest extends ServerPerTest {
    private static Browser browser;

    SignInPageTest() {
        super(StoreKind.SQLITE);
    }

    @BeforeAll
    static void launch() {
        browser = Browser.launch();
    }

    @AfterAll
    static void quit() {
        browser.close();
    }

    @Test
    void aPersonFollowsTheirLinkChoosesAPasswordAndSignsInLater() {
        String link = server.adminSend(
                        "POST",
                        "/v1/admin/people",
                        "{\"name\": \"ann\", \"team\": \"marketing\", \"role\": \"marketer\"}")
                .json()
                .path("signInLink")
                .asText();
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(link);
            page.fill("#new-password", "correct horse battery staple");
            page.fill("#new-name", "ann");
            page.click("#choose button");
            page.waitForSelector("text=Signed in as ann (marketer, marketing).");
            assertThat(page.url()).doesNotContain("link=");
            List<Cookie> cookies = context.cookies();
            assertThat(cookies).extracting(c -> c.name).containsExactly("tandem_session");
            assertThat(cookies.getFirst().httpOnly).isTrue();
            assertThat(page.evaluate("document.cookie")).isEqualTo("");
        }
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(server.url() + "/sign-in");
            page.fill("#name", "ann");
            page.fill("#password", "not the password");
            page.click("#sign-in button");
            page.waitForSelector("text=The name or the password is wrong.");
            page.fill("#password", "correct horse battery staple");
            page.click("#sign-in button");
            page.waitForSelector("text=Signed in as ann (marketer, marketing).");
        }
    }
}
