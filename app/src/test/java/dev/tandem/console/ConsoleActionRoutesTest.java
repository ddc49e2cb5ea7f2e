package dev.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's governance, journey and job routes over plain HTTP: without a session they send to
 * sign-in; a role the API refuses is answered with the API's words and status; a huge form is
 * refused; bad input is answered in words, never passed on as something else.
 */
class ConsoleActionRoutesTest {
    static final List<String> PAGES = List.of(
            "/governance/fields",
            "/governance/plans",
            "/governance/plans/orders",
            "/governance/privacy",
            "/governance/privacy/a7551968-d5d6-44b2-9831-815ac9017798",
            "/journeys",
            "/journeys/welcome",
            "/jobs",
            "/jobs/panel");
    static final List<String> FORMS =
            List.of("/governance/fields", "/governance/plans", "/governance/privacy", "/journeys/welcome/pause");

    @TempDir
    static Path dir;

    static ConsoleSite site;
    static Http http;

    @BeforeAll
    static void start() {
        site = new ConsoleSite(
                dev.tandem.testing.TestServer.withWorkspace(dev.tandem.testing.StoreKind.SQLITE, dir, """
                profiles:
                  computedTraits:
                    - name: categories_30d
                      aggregate: unique
                      event: Order Completed
                      property: properties.category
                      window: 30d
                """));
        http = site.server.http();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void withoutASessionEveryRouteSendsToSignIn() {
        for (String path : PAGES) {
            Http.Response r = http.get(path);
            assertThat(r.status()).as(path).isEqualTo(302);
            assertThat(r.header("Location")).as(path).startsWith("/sign-in?next=");
        }
        for (String path : FORMS) {
            Http.Response r = http.post(path, "class=general", "Content-Type", "application/x-www-form-urlencoded");
            assertThat(r.status()).as(path).isEqualTo(302);
        }
        ConsoleSite.Session ada = site.session("ada");
        Http.Response bare = http.post(
                "/governance/privacy",
                "type=erasure&identity_type=email&identity_value=c1%40example.com",
                "Cookie",
                ada.cookie(),
                "Content-Type",
                "application/x-www-form-urlencoded");
        assertThat(bare.status()).isEqualTo(403);
        assertThat(bare.json().at("/error/code").asText()).isEqualTo("csrf_refused");
        assertThat(site.server
                        .admin("/opendsr/requests")
                        .json()
                        .path("requests")
                        .size())
                .as("nothing started without the token")
                .isZero();
    }

    @Test
    void tooLittleRoleIsAnsweredWithTheApisWordsAndStatus() {
        ConsoleSite.Session sam = site.session("sam");
        String admins = "This route is for admins; sam is a steward.";
        Http.Response field = site.form(sam, "/governance/fields", "path=properties.tier&class=general");
        assertThat(field.status()).isEqualTo(403);
        assertThat(field.body()).contains(admins);
        Http.Response privacy = site.form(
                sam, "/governance/privacy", "type=erasure&identity_type=email&identity_value=c1%40example.com");
        assertThat(privacy.status()).isEqualTo(403);
        assertThat(privacy.body()).contains(admins);
        for (String page : List.of("/governance/fields", "/governance/plans", "/governance/privacy", "/jobs")) {
            Http.Response r = http.get(page, "Cookie", sam.cookie());
            assertThat(r.status()).as(page).isEqualTo(403);
            assertThat(r.body()).as(page).contains(admins);
        }
        Http.Response pause = site.form(sam, "/journeys/welcome/pause", "");
        assertThat(pause.status()).isEqualTo(403);
        assertThat(pause.body()).contains(admins);
        ConsoleSite.Session ivy = site.session("ivy");
        Http.Response plan = site.form(ivy, "/governance/plans", "key=orders&declaration=%7B%7D");
        assertThat(plan.status()).isEqualTo(403);
        assertThat(plan.body()).contains("a role without the 'changes:write' scope");
        Http.Response journeys = http.get("/journeys", "Cookie", ivy.cookie());
        assertThat(journeys.status()).isEqualTo(403);
        assertThat(journeys.body()).contains("a role without the 'journeys:read' scope", "ivy");
    }

    @Test
    void aHugeFormIsRefused() {
        ConsoleSite.Session ada = site.session("ada");
        String huge =
                "key=orders&class=general&type=access&identity_type=email&identity_value=" + "x".repeat(2_000_000);
        for (String path : FORMS) {
            Http.Response r = site.form(ada, path, huge);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.body()).as(path).contains("body_too_large");
        }
        assertThat(site.server
                        .admin("/opendsr/requests")
                        .json()
                        .path("requests")
                        .size())
                .isZero();
    }

    @Test
    void badInputIsAnsweredInWords() {
        ConsoleSite.Session ada = site.session("ada");
        Http.Response path = site.form(ada, "/governance/fields", "path=nonsense&class=general");
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.body()).contains("'nonsense' is not a field path");
        Http.Response cls = site.form(ada, "/governance/fields", "path=properties.tier&class=secret");
        assertThat(cls.status()).isEqualTo(400);
        assertThat(cls.body()).contains("'class' must be restricted, personal or general.");
        Http.Response none = site.form(ada, "/governance/fields", "class=general");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.body()).contains("the form field 'path'");
        // a key an event sender chose stays one value: it never reaches another field or another route
        Http.Response crafted =
                site.form(ada, "/governance/fields", "path=properties.tier%3Fx%2F..%2F..&class=restricted");
        assertThat(crafted.status()).isBetween(400, 499);
        for (var f : site.server.admin("/v1/admin/fields").json().path("fields")) {
            assertThat(f.path("fieldClass").asText() + f.path("classifiedBy").asText())
                    .as(f.toString())
                    .isNotEqualTo("restrictedreviewed by a steward");
        }
        Http.Response status = http.get("/governance/fields?status=maybe", "Cookie", ada.cookie());
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.body()).contains("'status' is 'unreviewed'");
        Http.Response notJson = site.form(ada, "/governance/plans", "key=orders&declaration=%7B%22mode%22");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body()).contains("The declaration is not a JSON object");
        Http.Response key = site.form(
                ada,
                "/governance/plans",
                "key=Bad%20Key&declaration="
                        + java.net.URLEncoder.encode(
                                ConsoleGovernanceTest.PLAN, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(key.status()).isEqualTo(400);
        assertThat(key.body()).contains("'key' is lower-case letters").contains("id=\"plan-key\"");
        assertThat(key.body().replaceAll("(?s).*<input id=\"plan-key\"([^>]*)>.*", "$1"))
                .contains("aria-invalid=\"true\"");
        Http.Response type = site.form(
                ada, "/governance/privacy", "type=forget&identity_type=email&identity_value=c1%40example.com");
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.body()).contains("subject_request_type' must be one of");
        Http.Response empty = site.form(ada, "/governance/privacy", "type=access&identity_type=email&identity_value=");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("Give the subject");
        assertThat(http.get("/governance/privacy/not-a-request", "Cookie", ada.cookie())
                        .body())
                .contains("No privacy request has the id not-a-request.");
        Http.Response journey = http.get("/journeys/nope", "Cookie", ada.cookie());
        assertThat(journey.status()).isEqualTo(404);
        assertThat(journey.body()).contains("No journey has the key 'nope'");
        assertThat(site.form(ada, "/journeys/nope/pause", "").status()).isEqualTo(404);
        assertThat(site.server
                        .admin("/opendsr/requests")
                        .json()
                        .path("requests")
                        .size())
                .isZero();
    }

    @Test
    void theBuilderWritesDidAnEventWithAPropertyValueThroughAListComputedTrait() {
        site.customers(4);
        for (String order : List.of("c0:Shoes", "c1:Hats", "c2:Shoes")) {
            String[] p = order.split(":");
            site.server.track(
                    "/v1/track",
                    "{\"userId\": \"" + p[0] + "\", \"event\": \"Order Completed\", \"properties\": {\"category\": \""
                            + p[1] + "\"}}");
        }
        site.server.track(
                "/v1/track", "{\"userId\": \"c3\", \"event\": \"Viewed\", \"properties\": {\"category\": \"Shoes\"}}");
        site.server.awaitProcessed();
        ConsoleSite.Session ann = site.session("ann");
        String estimate = site.form(
                        ann,
                        "/audiences/estimate",
                        "g0.join=and&g0.c0.on=computed&g0.c0.name=categories_30d&g0.c0.op=includes&g0.c0.value=Shoes")
                .body();
        assertThat(estimate)
                .contains("(has(computed.categories_30d) &amp;&amp; \"Shoes\" in computed.categories_30d)")
                .contains("<strong data-estimate>2</strong>");
    }
}
