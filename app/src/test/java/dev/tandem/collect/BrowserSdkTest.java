package dev.tandem.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Route;
import dev.tandem.testing.Browser;
import dev.tandem.testing.PageHost;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Segment's analytics.js 2.0 and RudderStack's JavaScript SDK v3, unchanged, in headless Chromium,
 * on a page from another origin than Tandem, loaded from Tandem itself. What each SDK sends is read
 * off the browser's network (never changed, except where a test answers the first attempt itself
 * with a 503 or a 429, as Tandem does when its disk is full or it is overloaded).
 */
class BrowserSdkTest extends ServerPerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Browser browser;
    private static PageHost host;

    private BrowserContext context;
    private Page page;
    /** Every tracking request the page sent (attempts included), with its headers. */
    private final List<Request> sent = new CopyOnWriteArrayList<>();
    /** When each of {@link #sent} was seen, in System.nanoTime (as precise as Playwright's event dispatch, within 0.1 s here). */
    private final List<Long> sentNanos = new CopyOnWriteArrayList<>();

    BrowserSdkTest() {
        super(StoreKind.SQLITE);
    }

    @BeforeAll
    static void launch() {
        browser = Browser.launch();
        host = new PageHost();
    }

    @AfterAll
    static void shut() {
        if (browser != null) {
            browser.close();
            host.close();
        }
    }

    @BeforeEach
    void open() {
        context = browser.newContext();
        page = context.newPage();
        context.onRequestFailed(r -> System.out.println("[failed] " + r.method() + " " + r.url() + " " + r.failure()));
        context.onRequest(request -> {
            if ("POST".equals(request.method()) && request.url().startsWith(server.url() + "/v1/")) {
                sent.add(request);
                sentNanos.add(System.nanoTime());
            }
        });
        page.onConsoleMessage(message -> System.out.println("[browser " + message.type() + "] " + message.text()));
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    // ---- Segment analytics.js 2.0 ------------------------------------------------------------

    /** Segment's snippet, as in its docs, with its two documented changes for a proxied CDN: the host, and _cdn (needed for http). */
    private String snippetPage() {
        String tandem = server.url();
        return host.page(
                "/snippet.html",
                "<!doctype html><html><head><title>Shop</title><script>\n"
                        + "!function(){var i=\"analytics\",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)"
                        + "window.console&&console.error&&console.error(\"Segment snippet included twice.\");else{analytics.invoked=!0;"
                        + "analytics.methods=[\"trackSubmit\",\"trackClick\",\"trackLink\",\"trackForm\",\"pageview\",\"identify\",\"reset\","
                        + "\"group\",\"track\",\"ready\",\"alias\",\"debug\",\"page\",\"screen\",\"once\",\"off\",\"on\",\"addSourceMiddleware\","
                        + "\"addIntegrationMiddleware\",\"setAnonymousId\",\"addDestinationMiddleware\",\"register\"];analytics.factory=function(e)"
                        + "{return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice"
                        + ".call(arguments);if([\"track\",\"screen\",\"alias\",\"group\",\"page\",\"identify\"].indexOf(e)>-1){var c=document"
                        + ".querySelector(\"link[rel='canonical']\");n.push({__t:\"bpc\",c:c&&c.getAttribute(\"href\")||void 0,p:location.pathname,"
                        + "u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};"
                        + "for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}"
                        + "analytics.load=function(key,n){var t=document.createElement(\"script\");t.type=\"text/javascript\";t.async=!0;"
                        + "t.setAttribute(\"data-global-segment-analytics-key\",i);t.src=\"" + tandem
                        + "/analytics.js/v1/\" + key + "
                        + "\"/analytics.min.js\";var r=document.getElementsByTagName(\"script\")[0];r.parentNode.insertBefore(t,r);"
                        + "analytics._loadOptions=n};analytics._writeKey=\"" + TestServer.WRITE_KEY
                        + "\";analytics._cdn=\"" + tandem + "\";"
                        + "analytics.SNIPPET_VERSION=\"5.2.0\";analytics.load(\"" + TestServer.WRITE_KEY + "\");}}();\n"
                        + "</script></head><body>shop</body></html>");
    }

    /** A page that loads the npm package's browser build from Tandem and calls AnalyticsBrowser.load, as a bundled app would. */
    private String npmPage(String loadOptions) {
        return host.page(
                "/next.html",
                "<!doctype html><html><head><title>Shop</title><script src=\"" + server.url()
                        + "/sdk/analytics-next.js\"></script><script>\nwindow.loaded = AnalyticsNext.AnalyticsBrowser.load({writeKey: \""
                        + TestServer.WRITE_KEY + "\", cdnURL: \"" + server.url() + "\"}" + loadOptions
                        + ").then(([a]) => { window.analytics = a; return true; });\n"
                        + "</script></head><body>shop</body></html>");
    }

    private static final String SEGMENT_CALLS =
            "() => { analytics.page('Docs', 'Home', {path: '/home', title: 'Home'});"
                    + " analytics.identify('seg-user-1', {email: 'ann@example.com', plan: 'gold'});"
                    + " analytics.track('Order Completed', {total: 42.5, currency: 'EUR'});"
                    + " analytics.group('acme', {name: 'Acme'});"
                    + " analytics.alias('seg-user-2', 'seg-user-1'); }";

    private String segmentReady() {
        page.waitForFunction("() => window.analytics && window.analytics.initialized === true");
        return (String) page.evaluate("() => analytics.user().anonymousId()");
    }

    @Test
    void segmentSnippetLoadsFromTandemAndEveryCallIsStoredOnce() {
        page.navigate(snippetPage());
        String anonymousId = segmentReady();
        page.evaluate(SEGMENT_CALLS);
        assertSegmentCalls(awaitStored(5), anonymousId);
    }

    @Test
    void segmentNpmLoadWithCdnUrlSendsWhereTandemsSettingsSay() {
        page.navigate(npmPage(""));
        String anonymousId = segmentReady();
        page.evaluate(SEGMENT_CALLS);
        assertSegmentCalls(awaitStored(5), anonymousId);
        assertThat(sent).allMatch(r -> r.url().matches(java.util.regex.Pattern.quote(server.url()) + "/v1/[pitga]"));
        assertThat(sent.get(0).headers().get("authorization"))
                .isEqualTo(dev.tandem.testing.Http.basic(TestServer.WRITE_KEY));
    }

    @Test
    void segmentRetriesAfterA503WithRetryAfterAndTheEventIsStoredOnce() {
        refuseFirstAttempt(503);
        page.navigate(npmPage(""));
        String anonymousId = segmentReady();
        page.evaluate("() => analytics.track('Order Completed', {total: 42.5, currency: 'EUR'})");
        Map<String, JsonNode> stored = awaitStored(1);
        assertOnceAfterARetry(stored, anonymousId);
        assertThat(sent.get(sent.size() - 1).headers()).containsKey("x-retry-count");
    }

    @Test
    void segmentWaitsOutA429sRetryAfterAndTheEventIsStoredOnce() {
        refuseFirstAttempt(429);
        page.navigate(npmPage(""));
        String anonymousId = segmentReady();
        page.evaluate("() => analytics.track('Order Completed', {total: 42.5, currency: 'EUR'})");
        assertOnceAfterARetry(awaitStored(1), anonymousId);
        // it waited as long as Retry-After said (1 s), not its own backoff (0.5 s)
        assertThat(Duration.ofNanos(sentNanos.get(1) - sentNanos.get(0))).isGreaterThan(Duration.ofMillis(800));
    }

    @Test
    void segmentBatchesAndDeliversTheBatchWhenThePageIsLeft() {
        // batching as documented (deliveryStrategy), held far longer than the test: only leaving the page sends it
        page.navigate(
                npmPage(
                        ", {integrations: {'Segment.io': {deliveryStrategy: {strategy: 'batching', config: {size: 100, timeout: 60000}}}}}"));
        String anonymousId = segmentReady();
        page.evaluate(
                "() => { window.ids = []; analytics.addSourceMiddleware(({payload, next}) => { ids.push(payload.obj.messageId); next(payload); }); }");
        page.evaluate(SEGMENT_CALLS);
        page.waitForTimeout(300);
        assertThat(sent).isEmpty();
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) page.evaluate("() => ids");
        // a request made while the page unloads is not reported to Playwright: the ids come from the page itself
        page.navigate(host.page("/bye.html", "<!doctype html><title>bye</title>"));
        Map<String, JsonNode> stored = awaitStored(5);
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(stored.values())
                .allMatch(e -> e.get("anonymousId").asText().equals(anonymousId) && e.hasNonNull("receivedAt"));
        assertThat(stored.values().stream().map(e -> e.get("type").asText()))
                .containsExactlyInAnyOrder("page", "identify", "track", "group", "alias");
    }

    @Test
    void segmentEventSentAsThePageUnloadsArrives() {
        page.navigate(npmPage(""));
        String anonymousId = segmentReady();
        // sent with keepalive as the page goes or, when the page went first, kept by the SDK in local
        // storage and sent from the next page of the site: either way once
        try {
            page.evaluate("() => { analytics.track('Checkout Left', {step: 2}); location.href = '/next.html'; }");
        } catch (PlaywrightException navigatedAway) {
            // the page is gone, as intended
        }
        JsonNode event = awaitStored(1).values().iterator().next();
        assertThat(event.get("event").asText()).isEqualTo("Checkout Left");
        assertThat(event.get("anonymousId").asText()).isEqualTo(anonymousId);
    }

    private void assertSegmentCalls(Map<String, JsonNode> stored, String anonymousId) {
        Map<String, JsonNode> byType = assertSentStoredOnce(stored, anonymousId);
        assertThat(byType.keySet()).containsExactlyInAnyOrder("page", "identify", "track", "group", "alias");
        assertThat(byType.get("page").get("name").asText()).isEqualTo("Home");
        assertThat(byType.get("page").get("category").asText()).isEqualTo("Docs");
        assertThat(byType.get("page").at("/properties/path").asText()).isEqualTo("/home");
        assertThat(byType.get("identify").get("userId").asText()).isEqualTo("seg-user-1");
        assertThat(byType.get("identify").at("/traits/email").asText()).isEqualTo("ann@example.com");
        assertThat(byType.get("track").get("event").asText()).isEqualTo("Order Completed");
        assertThat(byType.get("track").at("/properties/total").asDouble()).isEqualTo(42.5);
        assertThat(byType.get("group").get("groupId").asText()).isEqualTo("acme");
        assertThat(byType.get("group").at("/traits/name").asText()).isEqualTo("Acme");
        // analytics.js sends the alias with the user's current id as userId (its own behaviour when the
        // calls are not awaited); the previousId is the one the page passed
        assertThat(byType.get("alias").get("previousId").asText()).isEqualTo("seg-user-1");
        assertThat(byType.get("track").at("/context/library/name").asText()).isEqualTo("analytics.js");
    }

    // ---- RudderStack JavaScript SDK v3 -------------------------------------------------------

    private String rudderPage(String path) {
        return host.page(
                path,
                "<!doctype html><html><head><title>Shop</title><script src=\"" + server.url()
                        + "/sdk/rudderstack-analytics.js\"></script><script>\nwindow.ra = new rudderanalytics.RudderAnalytics();\n"
                        + "ra.load(\"" + TestServer.WRITE_KEY + "\", \"" + server.url() + "\", {configUrl: \""
                        + server.url() + "\"});\n"
                        + "ra.ready(() => { window.rudderReady = true; });\n</script></head><body>shop</body></html>");
    }

    private String rudderReady() {
        page.waitForFunction("() => window.rudderReady === true");
        return (String) page.evaluate("() => ra.getAnonymousId()");
    }

    @Test
    void rudderStackFetchesItsSourceConfigFromTandemAndEveryCallIsStoredOnce() {
        List<String> configFetches = new CopyOnWriteArrayList<>();
        page.onRequest(r -> {
            if (r.url().startsWith(server.url() + "/sourceConfig")) {
                configFetches.add(r.url());
            }
        });
        page.navigate(rudderPage("/rudder.html"));
        String anonymousId = rudderReady();
        page.evaluate("() => { ra.page('Docs', 'Home', {path: '/home'});"
                + " ra.identify('rs-user-1', {email: 'ben@example.com'});"
                + " ra.track('Order Completed', {total: 42.5, currency: 'EUR'});"
                + " ra.group('acme', {name: 'Acme'});"
                + " ra.alias('rs-user-2', 'rs-user-1'); }");
        Map<String, JsonNode> byType = assertSentStoredOnce(awaitStored(5), anonymousId);
        assertThat(configFetches).hasSize(1);
        assertThat(byType.keySet()).containsExactlyInAnyOrder("page", "identify", "track", "group", "alias");
        assertThat(byType.get("page").get("name").asText()).isEqualTo("Home");
        assertThat(byType.get("page").at("/properties/path").asText()).isEqualTo("/home");
        assertThat(byType.get("identify").get("userId").asText()).isEqualTo("rs-user-1");
        assertThat(byType.get("identify").at("/context/traits/email").asText()).isEqualTo("ben@example.com");
        // RudderStack sends an identify's traits in context.traits only; stored as traits too, where profiles read them
        assertThat(byType.get("identify").at("/traits/email").asText()).isEqualTo("ben@example.com");
        assertThat(byType.get("track").at("/properties/total").asDouble()).isEqualTo(42.5);
        assertThat(byType.get("group").get("groupId").asText()).isEqualTo("acme");
        assertThat(byType.get("group").at("/traits/name").asText()).isEqualTo("Acme");
        assertThat(byType.get("alias").get("userId").asText()).isEqualTo("rs-user-2");
        assertThat(byType.get("alias").get("previousId").asText()).isEqualTo("rs-user-1");
        Request first = sent.get(0);
        assertThat(first.headers().get("anonymousid"))
                .isEqualTo(java.util.Base64.getEncoder().encodeToString(anonymousId.getBytes()));
        assertThat(first.headers().get("content-type")).startsWith("application/json");
    }

    @Test
    void rudderStackRetriesAfterA503FromItsQueueAndTheEventIsStoredOnce() {
        refuseFirstAttempt(503);
        page.navigate(rudderPage("/rudder.html"));
        String anonymousId = rudderReady();
        page.evaluate("() => ra.track('Order Completed', {total: 42.5, currency: 'EUR'})");
        assertOnceAfterARetry(awaitStored(1), anonymousId);
        Map<String, String> retry = sent.get(sent.size() - 1).headers();
        assertThat(retry.get("rsa-retry-attempt")).isEqualTo("1");
        // the XHR sees the refused first attempt as server-503 or, where Chromium does not hand it the
        // test's answer, as client-network: the SDK retries both the same way
        assertThat(retry.get("rsa-retry-reason")).isIn("server-503", "client-network");
    }

    @Test
    void rudderStackEventSentAsThePageUnloadsArrives() {
        page.navigate(rudderPage("/rudder.html"));
        String anonymousId = rudderReady();
        // the SDK keeps its queue in local storage: what leaving the page cut short is sent from the next page of the
        // site
        // the next page is served before the page leaves for it: registered after, it could answer 404 first
        rudderPage("/rudder-next.html");
        page.evaluate("() => { ra.track('Checkout Left', {step: 2}); location.href = '/rudder-next.html'; }");
        JsonNode event = awaitStored(1).values().iterator().next();
        assertThat(event.get("event").asText()).isEqualTo("Checkout Left");
        assertThat(event.get("anonymousId").asText()).isEqualTo(anonymousId);
    }

    // ---- shared ------------------------------------------------------------------------------

    /**
     * Answers the page's first tracking call with {@code status} and Retry-After: 1, as Tandem does
     * when it cannot store, and only that one (the route is gone after it): the retry reaches
     * Tandem through Chromium's own CORS checks, retry headers and all.
     */
    private void refuseFirstAttempt(int status) {
        page.route(
                url -> url.startsWith(server.url() + "/v1/") && !url.contains("/projects/"),
                route -> {
                    String code = status == 429 ? "overloaded" : "disk_full";
                    route.fulfill(new Route.FulfillOptions()
                            .setStatus(status)
                            .setContentType("application/json")
                            .setHeaders(Map.of(
                                    "Retry-After",
                                    "1",
                                    "Access-Control-Allow-Origin",
                                    host.origin(),
                                    "Access-Control-Expose-Headers",
                                    "Retry-After",
                                    "Vary",
                                    "Origin"))
                            .setBody("{\"error\":{\"code\":\"" + code
                                    + "\",\"message\":\"refused by the test\",\"field\":null}}"));
                },
                new Page.RouteOptions().setTimes(1));
    }

    private void assertOnceAfterARetry(Map<String, JsonNode> stored, String anonymousId) {
        JsonNode track = assertSentStoredOnce(stored, anonymousId).get("track");
        assertThat(track.get("event").asText()).isEqualTo("Order Completed");
        assertThat(track.at("/properties/total").asDouble()).isEqualTo(42.5);
        assertThat(track.at("/properties/currency").asText()).isEqualTo("EUR");
        String messageId = stored.keySet().iterator().next();
        long attempts =
                sent.stream().filter(r -> messageIds(r).contains(messageId)).count();
        assertThat(attempts).as("attempts carrying " + messageId).isGreaterThanOrEqualTo(2);
    }

    /** Every messageId the page sent is stored exactly once, with the browser's anonymousId and a receivedAt; by type. */
    private Map<String, JsonNode> assertSentStoredOnce(Map<String, JsonNode> stored, String anonymousId) {
        List<String> sentIds =
                sent.stream().flatMap(r -> messageIds(r).stream()).distinct().toList();
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(sentIds);
        Map<String, JsonNode> byType = new HashMap<>();
        for (JsonNode event : stored.values()) {
            assertThat(event.get("anonymousId").asText())
                    .as("anonymousId of " + event)
                    .isEqualTo(anonymousId);
            Instant receivedAt = Instant.parse(event.get("receivedAt").asText());
            assertThat(Duration.between(receivedAt, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
            assertThat(byType.put(event.get("type").asText(), event))
                    .as("one event of type " + event.get("type"))
                    .isNull();
        }
        return byType;
    }

    private static List<String> messageIds(Request request) {
        try {
            JsonNode body = JSON.readTree(request.postData());
            List<JsonNode> events = body.has("batch") ? List.copyOf(iterable(body.get("batch"))) : List.of(body);
            return events.stream().map(e -> e.path("messageId").asText()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /**
     * Waits for {@code count} stored events and a moment more, so that a duplicate would show; by messageId.
     * Why through the page: Playwright for Java runs route and request handlers only inside its own
     * calls, so a test that slept would hold back the very retry it waits for.
     */
    private Map<String, JsonNode> awaitStored(int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (server.events().size() < count && Instant.now().isBefore(deadline)) {
            page.waitForTimeout(100);
        }
        page.waitForTimeout(500);
        List<JsonNode> events = server.events();
        assertThat(events).hasSize(count);
        return events.stream().collect(Collectors.toMap(e -> e.get("messageId").asText(), Function.identity()));
    }
}
