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
 * The console's routes over plain HTTP: without a session every page sends to the sign-in page; a
 * change without the session's CSRF token, or from another site, is refused; a role without the scope
 * is refused in words; bad form input is answered in words naming the field, never run as CEL.
 */
class ConsoleRoutesTest {
    @TempDir
    static Path dir;

    static ConsoleSite site;
    static Http http;

    @BeforeAll
    static void start() {
        site = new ConsoleSite(dir);
        http = site.server.http();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void withoutASessionEveryPageSendsToSignInAndBack() {
        for (String path : List.of("/", "/customers?id=email:a@b.c", "/audiences/new", "/governance", "/initiatives")) {
            Http.Response r = http.get(path);
            assertThat(r.status()).as(path).isEqualTo(302);
            assertThat(r.header("Location"))
                    .isEqualTo("/sign-in?next="
                            + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(http.get("/", "Cookie", "tandem_session=not-a-session").header("Location"))
                .isEqualTo("/sign-in?next=%2F");
        Http.Response polled = http.get("/console/panels", "HX-Request", "true");
        assertThat(polled.status()).isEqualTo(401);
        assertThat(polled.header("HX-Redirect")).isEqualTo("/sign-in?next=%2Fconsole%2Fpanels");
        assertThat(http.post("/audiences/estimate", "g0.join=and", "Content-Type", "application/x-www-form-urlencoded")
                        .status())
                .isEqualTo(302);
        assertThat(http.get("/console/assets/htmx.min.js").status()).isEqualTo(200);
        assertThat(http.get("/console/assets/chart.umd.js").header("Content-Type"))
                .startsWith("text/javascript");
    }

    @Test
    void aChangeWithoutTheCsrfTokenOrFromAnotherSiteIsRefused() {
        ConsoleSite.Session ann = site.session("ann");
        Http.Response bare = http.post(
                "/audiences/estimate",
                "g0.join=and",
                "Cookie",
                ann.cookie(),
                "Content-Type",
                "application/x-www-form-urlencoded");
        assertThat(bare.status()).isEqualTo(403);
        assertThat(bare.json().at("/error/code").asText()).isEqualTo("csrf_refused");
        Http.Response foreign = site.form(ann, "/audiences/estimate", "g0.join=and", "Origin", "https://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().at("/error/code").asText()).isEqualTo("foreign_origin");
        Http.Response text = http.post(
                "/console/sign-out",
                "x",
                "Cookie",
                ann.cookie(),
                "Content-Type",
                "text/plain",
                "X-CSRF-Token",
                ann.csrf());
        assertThat(text.status()).isEqualTo(415);
    }

    @Test
    void aRoleWithoutTheScopeIsRefusedInWords() {
        ConsoleSite.Session ivy = site.session("ivy");
        Http.Response customers = http.get("/customers?id=user_id:c1", "Cookie", ivy.cookie());
        assertThat(customers.status()).isEqualTo(403);
        assertThat(customers.body())
                .contains("Customer profiles are for roles that read personal data; ivy is an analyst.");
        Http.Response verdict = site.form(ivy, "/governance/changes/1", "verdict=approve");
        assertThat(verdict.body()).contains("ivy is a analyst, a role without the 'changes:write' scope.");
        Http.Response governance = http.get("/governance", "Cookie", ivy.cookie());
        assertThat(governance.body())
                .contains("The audit trail is for stewards, technologists and admins; ivy is an analyst.");
        Http.Response save = site.form(
                ivy, "/audiences/save", "g0.join=and&g0.c0.on=events&g0.c0.op=ge&g0.c0.value=1&key=k1&name=K");
        assertThat(save.body()).contains("changes:write");
    }

    @Test
    void badInputIsAnsweredInWordsNextToItsFieldAndNeverRunAsCel() {
        ConsoleSite.Session ann = site.session("ann");
        String badName = site.form(
                        ann,
                        "/audiences/estimate",
                        "g0.join=and&g0.c0.on=trait&g0.c0.name=plan%20||%20true&g0.c0.op=eq&g0.c0.value=x")
                .body();
        assertThat(badName).contains("id=\"err-g0-c0-name\"").contains("A name is letters, digits and");
        String notNumber = site.form(
                        ann,
                        "/audiences/estimate",
                        "g0.join=and&g0.c0.on=trait&g0.c0.name=orders&g0.c0.op=gt&g0.c0.value=many")
                .body();
        assertThat(notNumber).contains("Comparing with &gt; needs a number");
        String quoted = site.form(
                        ann,
                        "/audiences/estimate",
                        "g0.join=and&g0.c0.on=trait&g0.c0.name=plan&g0.c0.op=eq&g0.c0.value=%22%20||%20true%20||%20%22")
                .body();
        assertThat(quoted).contains("(has(traits.plan) &amp;&amp; traits.plan == \"\\\" || true || \\\"\")");
        String unknownOn = site.form(
                        ann, "/audiences/estimate", "g0.join=and&g0.c0.on=sql&g0.c0.name=x&g0.c0.op=eq&g0.c0.value=1")
                .body();
        assertThat(unknownOn).contains("Fix the fields marked above");
        String badKey = site.form(
                        ann,
                        "/audiences/save",
                        "g0.join=and&g0.c0.on=events&g0.c0.op=ge&g0.c0.value=1&key=Bad%20Key&name=")
                .body();
        assertThat(badKey).contains("A key is lower-case letters").contains("Give the audience a name");
        Http.Response badId = site.form(ann, "/governance/changes/abc", "verdict=approve");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.body()).contains("No change has the id abc.");
        assertThat(site.form(ann, "/governance/changes/999", "verdict=approve").body())
                .contains("field-error");
        assertThat(http.get("/customers?id=nonsense", "Cookie", ann.cookie()).body())
                .contains("Write an identifier as type:value");
    }

    @Test
    void theBuilderAndAnAudiencesPageRefuseWithoutASessionHugeBodiesAndUnknownKeys() {
        for (String path : List.of("/audiences/k1", "/audiences")) {
            assertThat(http.get(path).header("Location")).startsWith("/sign-in?next=");
        }
        assertThat(http.post("/audiences/builder", "g0.join=and", "Content-Type", "application/x-www-form-urlencoded")
                        .status())
                .isBetween(300, 403);
        ConsoleSite.Session ann = site.session("ann");
        String huge = "g0.join=and&g0.c0.on=trait&g0.c0.name=plan&g0.c0.op=eq&g0.c0.value=" + "x".repeat(2_000_000);
        for (String path : List.of("/audiences/estimate", "/audiences/save", "/audiences/builder")) {
            assertThat(site.form(ann, path, huge).status()).as(path).isBetween(400, 499);
        }
        String wrongType = site.form(
                        ann, "/audiences/estimate", "g0.join=maybe&g0.c0.on=events&g0.c0.op=ge&g0.c0.value=[1]")
                .body();
        assertThat(wrongType).contains("field-error");
        assertThat(http.get("/audiences/no-such-audience", "Cookie", ann.cookie())
                        .body())
                .contains("no-such-audience");
        assertThat(http.get("/audiences", "Cookie", ann.cookie()).status())
                .as("still serving")
                .isEqualTo(200);
    }
}
