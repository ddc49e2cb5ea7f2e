package dev.tandem.testing;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium from Debian's {@code chromium} package, driven by Playwright for Java (whose
 * driver comes inside its jar; no browser is ever downloaded). One per test class: start it in
 * {@code @BeforeAll}, close it in {@code @AfterAll}. Without Chromium the browser tests are skipped
 * on a developer's machine and fail in CI ({@code CI=true}), where .ci/run installs it.
 */
public final class Browser implements AutoCloseable {
    private static final List<Path> CHROMIUM =
            List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"));

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;

    private Browser(Playwright playwright, com.microsoft.playwright.Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Browser launch() {
        Path executable =
                CHROMIUM.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (executable == null) {
            // never skipped: a browser suite that skips itself hides the one client that fails most often
            throw new IllegalStateException(
                    "No Chromium at " + CHROMIUM + ": apt-get install chromium (.ci/run does).");
        }
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // --no-sandbox: tests run as root in CI, where Chromium's sandbox refuses to start; the rest keep
        // Chromium from calling Google's services, which a closed network refuses (slowly)
        return new Browser(
                playwright,
                playwright
                        .chromium()
                        .launch(new BrowserType.LaunchOptions()
                                .setExecutablePath(executable)
                                .setHeadless(true)
                                .setArgs(List.of(
                                        "--no-sandbox",
                                        "--disable-dev-shm-usage",
                                        "--disable-gpu",
                                        "--disable-quic",
                                        "--no-first-run",
                                        "--disable-background-networking",
                                        "--disable-component-update",
                                        "--disable-sync"))));
    }

    private static Browser shared;

    /**
     * One browser for every test class that asks (a launch costs seconds), closed when the test JVM
     * ends; each test still gets a fresh {@link #newContext()}.
     */
    public static synchronized Browser shared() {
        if (shared == null) {
            shared = launch();
            Browser started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return shared;
    }

    /** A fresh profile: no cookies, no local storage, as a first visit. */
    public com.microsoft.playwright.BrowserContext newContext() {
        return browser.newContext();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
