package dev.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.tandem.testing.Browser;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server with people of every role and customers with emails, and the suite's one browser: what the
 * console's browser tests share. People: ann and mia (marketers), sam (steward), ivy (analyst), ada
 * (admin); every password is {@link #PASSWORD}.
 */
final class ConsoleSite implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    static final Path SHOTS = Path.of("target", "console-screenshots");

    final TestServer server;
    final Browser browser = Browser.shared();

    ConsoleSite(Path dir) {
        this(TestServer.start(StoreKind.SQLITE, dir));
    }

    ConsoleSite(TestServer server) {
        this.server = server;
        person("ann", "marketing", "marketer");
        person("mia", "marketing", "marketer");
        person("sam", "it", "steward");
        person("ivy", "marketing", "analyst");
        person("ada", "it", "admin");
    }

    /** {@code count} customers c0..: email cN@example.com, plan pro for even N and free for odd. */
    void customers(int count) {
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < count; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append("{\"type\": \"identify\", \"userId\": \"c")
                    .append(i)
                    .append("\", \"traits\": {\"email\": \"c")
                    .append(i)
                    .append("@example.com\", \"plan\": \"")
                    .append(i % 2 == 0 ? "pro" : "free")
                    .append("\", \"orders\": ")
                    .append(i % 5)
                    .append("}}");
        }
        assertThat(server.track("/v1/batch", batch.append("]}").toString()).status())
                .isEqualTo(200);
        server.awaitProcessed();
    }

    private void person(String name, String team, String role) {
        Http.Response added = server.adminSend(
                "POST",
                "/v1/admin/people",
                "{\"name\": \"" + name + "\", \"team\": \"" + team + "\", \"role\": \"" + role + "\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        Http.Response set = server.http()
                .post(
                        "/v1/people/password",
                        "{\"link\": \"" + added.json().path("link").asText() + "\", \"password\": \"" + PASSWORD
                                + "\"}",
                        "Content-Type",
                        "application/json");
        assertThat(set.status()).as(set.body()).isEqualTo(204);
    }

    /** A session signed in over plain HTTP: its cookie (name=value) and its CSRF token. */
    record Session(String cookie, String csrf) {}

    /** Signs {@code name} in through {@code POST /v1/session}. */
    Session session(String name) {
        Http.Response in = server.http()
                .post(
                        "/v1/session",
                        "{\"name\": \"" + name + "\", \"password\": \"" + PASSWORD + "\"}",
                        "Content-Type",
                        "application/json");
        assertThat(in.status()).as(in.body()).isEqualTo(201);
        String cookie = in.header("Set-Cookie");
        return new Session(
                cookie.substring(0, cookie.indexOf(';')),
                in.json().path("csrfToken").asText());
    }

    /** Posts a form as {@code s}, with its cookie and CSRF token, and any {@code more} headers. */
    Http.Response form(Session s, String path, String body, String... more) {
        java.util.List<String> headers = new java.util.ArrayList<>(java.util.List.of(
                "Cookie", s.cookie(), "Content-Type", "application/x-www-form-urlencoded", "X-CSRF-Token", s.csrf()));
        headers.addAll(java.util.List.of(more));
        return server.http().post(path, body, headers.toArray(String[]::new));
    }

    /** A fresh browser profile signed in as {@code name} through the sign-in page, on {@code path}. */
    Page signIn(BrowserContext context, String name, String path) {
        Page page = context.newPage();
        page.navigate(server.url() + path);
        page.waitForURL("**/sign-in?next=**");
        page.fill("#name", name);
        page.fill("#password", PASSWORD);
        page.click("#sign-in button");
        page.waitForURL(server.url() + path);
        return page;
    }

    /** Saves a screenshot of the page under target/console-screenshots (copied into docs/img for docs/console.md). */
    static void shoot(Page page, String name) {
        try {
            Files.createDirectories(SHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    @Override
    public void close() {
        server.close();
    }
}
