package dev.tandem.people;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * People through HTTP: a one-time link to set a password, sign-in with a session cookie, the same
 * answer for a wrong name and a wrong password, lockout (lifted by time or a new link), CSRF refused,
 * roles at the admin and scoped routes, and API tokens that never exceed their person's role.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class SignInTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String[] JSON = {"Content-Type", "application/json"};

    private final StoreKind store;

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.standard();
    private TestServer server;

    SignInTest(StoreKind store) {
        this.store = store;
    }

    @BeforeEach
    void start() {
        server = TestServer.start(store, dir, clock, Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aLinkSetsAPasswordOnceAndSigningInGivesAHardenedSessionCookie() {
        JsonNode added = add("ann", "marketing", "marketer");
        assertThat(added.path("signInLink").asText()).startsWith(server.url() + "/sign-in?link=");
        assertThat(added.path("passwordSet").asBoolean()).isFalse();
        String link = added.path("link").asText();

        assertError(setPassword(link, "short"), 400, "invalid_password");
        assertThat(setPassword(link, PASSWORD).status()).isEqualTo(204);
        assertError(setPassword(link, PASSWORD + " again"), 401, "invalid_link");

        Http.Response in = signIn("ann", PASSWORD);
        assertThat(in.status()).as(in.body()).isEqualTo(201);
        String cookie = in.header("Set-Cookie");
        assertThat(cookie)
                .startsWith("tandem_session=")
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/")
                .doesNotContain("Secure");
        assertThat(in.json().path("role").asText()).isEqualTo("marketer");
        assertThat(in.json().path("csrfToken").asText()).hasSizeGreaterThan(20);
        Http.Response behindTls = server.http()
                .post(
                        "/v1/session",
                        "{\"name\": \"ann\", \"password\": \"" + PASSWORD + "\"}",
                        "X-Forwarded-Proto",
                        "https",
                        "Content-Type",
                        "application/json");
        assertThat(behindTls.header("Set-Cookie")).contains("; Secure");

        JsonNode me = server.http().get("/v1/session", "Cookie", session(in)).json();
        assertThat(me.path("name").asText()).isEqualTo("ann");
        assertThat(me.path("team").asText()).isEqualTo("marketing");
        // the link for a later password change is a new one, and the old session ends with the new password
        String second = server.adminSend("POST", "/v1/admin/people/ann/link", null)
                .json()
                .path("link")
                .asText();
        assertThat(setPassword(second, PASSWORD + " two").status()).isEqualTo(204);
        assertError(server.http().get("/v1/session", "Cookie", session(in)), 401, "session_expired");

        // signing out ends the session
        Http.Response again = signIn("ann", PASSWORD + " two");
        String csrf = again.json().path("csrfToken").asText();
        assertError(delete("/v1/session", session(again), null), 403, "csrf_refused");
        assertThat(delete("/v1/session", session(again), csrf).status()).isEqualTo(204);
        assertError(server.http().get("/v1/session", "Cookie", session(again)), 401, "session_expired");

        assertThat(server.admin("/v1/audit?object=person:ann").body())
                .contains("person.added")
                .contains("person.password_set")
                .contains("person.signed_in")
                .contains("person.signed_out")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aWrongNameAndAWrongPasswordGetTheSameAnswerAndBothLockOut() {
        person("ann", "marketing", "marketer");
        add("bob", "it", "steward");
        Http.Response wrongPassword = signIn("ann", "not the password at all");
        Http.Response unknownName = signIn("nobody", "not the password at all");
        Http.Response noPasswordYet = signIn("bob", PASSWORD);
        assertError(wrongPassword, 401, "invalid_credentials");
        assertError(unknownName, 401, "invalid_credentials");
        assertError(noPasswordYet, 401, "invalid_credentials");
        assertThat(unknownName.body()).isEqualTo(wrongPassword.body());
        assertThat(noPasswordYet.body()).isEqualTo(wrongPassword.body());

        for (int i = 0; i < 4; i++) {
            signIn("ann", "wrong " + i + " and some more");
            signIn("nobody", "wrong " + i + " and some more");
        }
        // locked now, even with the right password; and a name nobody has is locked the same way
        Http.Response locked = signIn("ann", PASSWORD);
        assertError(locked, 429, "sign_in_locked");
        assertThat(locked.header("Retry-After")).isNotNull();
        Http.Response lockedNobody = signIn("nobody", PASSWORD);
        assertError(lockedNobody, 429, "sign_in_locked");
        assertThat(lockedNobody.json().at("/error/message").asText())
                .isEqualTo(locked.json().at("/error/message").asText());

        clock.advance(SignInThrottle.LOCKED_FOR.plusSeconds(1));
        assertThat(signIn("ann", PASSWORD).status()).isEqualTo(201);

        for (int i = 0; i < 5; i++) {
            signIn("ann", "wrong again " + i + " and more");
        }
        assertError(signIn("ann", PASSWORD), 429, "sign_in_locked");
        // an admin's new link lifts the lockout
        setPassword(
                server.adminSend("POST", "/v1/admin/people/ann/link", null)
                        .json()
                        .path("link")
                        .asText(),
                PASSWORD);
        assertThat(signIn("ann", PASSWORD).status()).isEqualTo(201);
    }

    @Test
    void aSessionChangesNothingWithoutItsCsrfTokenAndRolesDecideTheRoutes() {
        Http.Response admin = person("ada", "it", "admin");
        String adminCsrf = admin.json().path("csrfToken").asText();
        String token = "{\"name\": \"web\", \"scopes\": [\"profiles:read\"]}";
        assertError(post("/v1/admin/tokens", token, session(admin), null), 403, "csrf_refused");
        assertError(post("/v1/admin/tokens", token, session(admin), "wrong"), 403, "csrf_refused");
        assertThat(server.admin("/v1/admin/tokens").json().path("tokens")).isEmpty();
        Http.Response made = post("/v1/admin/tokens", token, session(admin), adminCsrf);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        // a form post carries it as _csrf
        Http.Response form = server.http()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/v1/admin/people/ada/link"))
                                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + adminCsrf)),
                        "Cookie",
                        session(admin),
                        "Content-Type",
                        "application/x-www-form-urlencoded");
        assertThat(form.status()).as(form.body()).isEqualTo(201);
        assertThat(server.admin("/v1/audit?actor=person:ada").body()).contains("/v1/admin/tokens");

        Http.Response marketer = person("ann", "marketing", "marketer");
        assertError(server.http().get("/v1/admin/people", "Cookie", session(marketer)), 403, "missing_role");
        assertError(server.http().get("/v1/audit", "Cookie", session(marketer)), 403, "missing_scope");
        assertThat(server.http()
                        .get("/v1/audiences", "Cookie", session(marketer))
                        .status())
                .isEqualTo(200);
        Http.Response steward = person("sam", "it", "steward");
        assertThat(server.http().get("/v1/audit", "Cookie", session(steward)).status())
                .isEqualTo(200);
        assertError(server.http().get("/v1/admin/people", "Cookie", "tandem_session=forged"), 401, "session_expired");
    }

    @Test
    void aPersonsTokenNeverExceedsTheirRoleNowOrLater() {
        Http.Response ann = person("ann", "marketing", "marketer");
        String csrf = ann.json().path("csrfToken").asText();
        Http.Response tooMuch = post(
                "/v1/session/tokens", "{\"name\": \"ann-audit\", \"scopes\": [\"audit:read\"]}", session(ann), csrf);
        assertError(tooMuch, 403, "exceeds_role");
        assertError(
                post("/v1/session/tokens", "{\"name\": \"x\", \"scopes\": [\"profiles:read\"]}", session(ann), null),
                403,
                "csrf_refused");
        assertError(
                server.http().post("/v1/session/tokens", "{\"name\": \"x\", \"scopes\": [\"profiles:read\"]}"),
                401,
                "not_signed_in");
        Http.Response made = post(
                "/v1/session/tokens",
                "{\"name\": \"ann-laptop\", \"scopes\": [\"audiences:read\"]}",
                session(ann),
                csrf);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().path("owner").asText()).isEqualTo("ann");
        String bearer = "Bearer " + made.json().path("token").asText();
        assertThat(server.http().get("/v1/audiences", "Authorization", bearer).status())
                .isEqualTo(200);
        assertThat(server.admin("/v1/admin/tokens").body()).contains("\"owner\":\"ann\"");

        // a scope her role holds today, and not after her role changes to analyst (no raw personal data)
        Http.Response profiles = post(
                "/v1/session/tokens",
                "{\"name\": \"ann-profiles\", \"scopes\": [\"profiles:read\"]}",
                session(ann),
                csrf);
        String profilesBearer = "Bearer " + profiles.json().path("token").asText();
        assertThat(server.http()
                        .get("/v1/profiles/user_id:u-1/traits", "Authorization", profilesBearer)
                        .status())
                .isIn(200, 404);
        assertThat(server.adminSend("PUT", "/v1/admin/people/ann", "{\"role\": \"analyst\"}")
                        .status())
                .isEqualTo(200);
        assertError(
                server.http().get("/v1/profiles/user_id:u-1/traits", "Authorization", profilesBearer),
                403,
                "exceeds_role");
        // and once ann is removed, her tokens stop working at all
        assertThat(server.adminSend("DELETE", "/v1/admin/people/ann", null).status())
                .isEqualTo(204);
        assertError(server.http().get("/v1/audiences", "Authorization", bearer), 401, "invalid_token");
    }

    @Test
    void attemptsSentInParallelGetNoMoreGuessesThanOneAfterTheOther() throws Exception {
        person("ann", "marketing", "marketer");
        java.util.List<Thread> callers = new java.util.ArrayList<>();
        java.util.List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            callers.add(Thread.ofPlatform()
                    .start(() -> statuses.add(
                            signIn("ann", "guess number " + n + " of many").status())));
        }
        for (Thread t : callers) {
            t.join();
        }
        // five guesses at the most were checked; every other attempt was refused before its password was
        assertThat(statuses.stream().filter(s -> s == 401).count()).isLessThanOrEqualTo(5);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isGreaterThanOrEqualTo(15);
        assertError(signIn("ann", PASSWORD), 429, "sign_in_locked");
    }

    @Test
    void aTokenOfARemovedPersonStaysDeadWhenTheNameIsGivenAgainAndMakingItIsAudited() {
        Http.Response bob = person("bob", "it", "steward");
        Http.Response made = post(
                "/v1/session/tokens",
                "{\"name\": \"bob-script\", \"scopes\": [\"audiences:read\"]}",
                session(bob),
                bob.json().path("csrfToken").asText());
        String bearer = "Bearer " + made.json().path("token").asText();
        assertThat(server.admin("/v1/audit?kind=token.created")
                        .json()
                        .path("entries")
                        .get(0)
                        .path("actor")
                        .asText())
                .isEqualTo("person:bob");
        assertThat(server.adminSend("DELETE", "/v1/admin/people/bob", null).status())
                .isEqualTo(204);
        clock.advance(Duration.ofSeconds(1));
        add("bob", "marketing", "marketer");
        assertError(server.http().get("/v1/audiences", "Authorization", bearer), 401, "invalid_token");
    }

    @Test
    void everyPeopleRouteRefusesBadInputNoCredentialsAndTooLittleRole() {
        add("ann", "marketing", "marketer");
        Http.Response marketer = person("mia", "marketing", "marketer");
        String csrf = marketer.json().path("csrfToken").asText();
        String reader = server.adminSend(
                        "POST",
                        "/v1/admin/tokens",
                        "{\"name\": \"reader\", \"scopes\": [\"profiles:read\", \"feed:read\"]}")
                .json()
                .path("token")
                .asText();
        String huge = "{\"name\": \"" + "a".repeat(3 * 1024 * 1024) + "\"}";
        String[][] routes = {
            {"GET", "/v1/admin/people", null},
            {"POST", "/v1/admin/people", "{\"name\": \"zed\", \"team\": \"it\", \"role\": \"admin\"}"},
            {"PUT", "/v1/admin/people/ann", "{\"role\": \"admin\"}"},
            {"POST", "/v1/admin/people/ann/link", null},
            {"DELETE", "/v1/admin/people/ann", null},
        };
        for (String[] r : routes) {
            String what = r[0] + " " + r[1];
            assertThat(send(r, "Cookie", "none").status()).as(what).isEqualTo(401);
            assertError(send(r), 401, "missing_token");
            // an API token, whatever its scopes, is not the admin token; a marketer's session lacks the role
            assertError(send(r, "Authorization", "Bearer " + reader), 401, "invalid_token");
            assertError(send(r, "Cookie", session(marketer), "X-CSRF-Token", csrf), 403, "missing_role");
        }
        // nothing changed: ann is still a marketer with no password, and zed was never added
        JsonNode people = server.admin("/v1/admin/people").json().path("people");
        assertThat(people.findValuesAsText("name")).containsExactly("ann", "mia");
        assertThat(people.get(0).path("role").asText()).isEqualTo("marketer");

        // wrong types, missing fields, unknown fields, huge bodies
        assertError(
                server.adminSend("POST", "/v1/admin/people", "{\"name\": 7, \"team\": \"it\", \"role\": \"admin\"}"),
                400,
                "invalid_name");
        assertError(
                server.adminSend(
                        "POST", "/v1/admin/people", "{\"name\": \"zed\", \"team\": [\"it\"], \"role\": \"admin\"}"),
                400,
                "invalid_team");
        assertError(
                server.adminSend("POST", "/v1/admin/people", "{\"name\": \"zed\", \"team\": \"it\", \"role\": true}"),
                400,
                "invalid_role");
        assertError(server.adminSend("POST", "/v1/admin/people", "{}"), 400, "invalid_name");
        assertError(
                server.adminSend("POST", "/v1/admin/people", "{\"name\": \"zed\", \"team\": \"it\"}"),
                400,
                "invalid_role");
        assertError(
                server.adminSend(
                        "POST",
                        "/v1/admin/people",
                        "{\"name\": \"zed\", \"team\": \"it\", \"role\": \"admin\", \"boss\": 1}"),
                400,
                "unknown_field");
        assertThat(server.adminSend("POST", "/v1/admin/people", huge).status()).isIn(400, 413);
        assertError(server.adminSend("PUT", "/v1/admin/people/ann", "{\"role\": 5}"), 400, "invalid_role");
        assertError(server.adminSend("PUT", "/v1/admin/people/ann", "{\"team\": \"sales\"}"), 400, "invalid_team");
        assertError(server.adminSend("PUT", "/v1/admin/people/ann", "[\"admin\"]"), 400, "invalid_body");
        assertError(server.adminSend("PUT", "/v1/admin/people/ann", "{\"name\": \"eve\"}"), 400, "unknown_field");
        assertError(server.adminSend("PUT", "/v1/admin/people/nobody", "{\"role\": \"admin\"}"), 404, "unknown_person");
        assertThat(server.adminSend("PUT", "/v1/admin/people/ann", huge).status())
                .isIn(400, 413);
        assertError(
                server.adminSend("POST", "/v1/admin/people/" + "n".repeat(300) + "/link", null), 404, "unknown_person");
        assertError(
                server.http().post("/v1/people/password", "{\"link\": 5, \"password\": []}"), 400, "invalid_password");
        assertError(server.http().post("/v1/people/password", "{}"), 400, "invalid_password");
        assertThat(server.http().post("/v1/people/password", huge).status()).isIn(400, 413);
        assertThat(server.http().post("/v1/session", huge, JSON).status()).isIn(400, 413);
        assertError(
                server.http().post("/v1/session", "{\"name\": [\"ann\"], \"password\": {}}", JSON),
                401,
                "invalid_credentials");
        assertThat(server.admin("/v1/admin/people").json().path("people").findValuesAsText("role"))
                .containsExactly("marketer", "marketer");
    }

    private Http.Response send(String[] route, String... headers) {
        HttpRequest.BodyPublisher body =
                route[2] == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(route[2]);
        String[] all = headers;
        if (route[2] != null) {
            // a body goes as JSON, as every client of these routes sends it
            all = java.util.Arrays.copyOf(headers, headers.length + 2);
            all[headers.length] = JSON[0];
            all[headers.length + 1] = JSON[1];
        }
        return server.http()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + route[1]))
                                .method(route[0], body),
                        all);
    }

    @Test
    void badInputIsRefusedWithWhatToDo() {
        assertError(
                server.adminSend(
                        "POST",
                        "/v1/admin/people",
                        "{\"name\": \"Ann Smith\", \"team\": \"it\", " + "\"role\": \"admin\"}"),
                400,
                "invalid_name");
        assertError(
                server.adminSend(
                        "POST", "/v1/admin/people", "{\"name\": \"ann\", \"team\": \"sales\", \"role\": \"admin\"}"),
                400,
                "invalid_team");
        assertError(
                server.adminSend(
                        "POST", "/v1/admin/people", "{\"name\": \"ann\", \"team\": \"it\", \"role\": \"root\"}"),
                400,
                "invalid_role");
        assertError(server.adminSend("POST", "/v1/admin/people", "[1, 2]"), 400, "invalid_body");
        add("ann", "it", "steward");
        assertError(
                server.adminSend(
                        "POST", "/v1/admin/people", "{\"name\": \"ann\", \"team\": \"it\", \"role\": \"admin\"}"),
                409,
                "person_exists");
        assertError(server.adminSend("POST", "/v1/admin/people/nobody/link", null), 404, "unknown_person");
        assertError(server.adminSend("DELETE", "/v1/admin/people/nobody", null), 404, "unknown_person");
        assertError(setPassword("made-up", PASSWORD), 401, "invalid_link");
        assertError(setPassword("x".repeat(5000), PASSWORD), 401, "invalid_link");
        assertError(signIn("x".repeat(5000), "y".repeat(5000)), 401, "invalid_credentials");
        assertError(server.http().post("/v1/session", "not json", JSON), 400, "invalid_json");
        assertError(server.http().get("/v1/admin/people"), 401, "missing_token");
        assertError(server.http().post("/v1/admin/people", "{}"), 401, "missing_token");
        // a link expires after a day
        String link = server.adminSend("POST", "/v1/admin/people/ann/link", null)
                .json()
                .path("link")
                .asText();
        clock.advance(Duration.ofHours(25));
        assertError(setPassword(link, PASSWORD), 401, "invalid_link");
    }

    private JsonNode add(String name, String team, String role) {
        Http.Response added = server.adminSend(
                "POST",
                "/v1/admin/people",
                "{\"name\": \"" + name + "\", \"team\": \"" + team + "\", \"role\": \"" + role + "\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        return added.json();
    }

    /** Adds a person, sets their password and signs them in. */
    private Http.Response person(String name, String team, String role) {
        assertThat(setPassword(add(name, team, role).path("link").asText(), PASSWORD)
                        .status())
                .isEqualTo(204);
        Http.Response in = signIn(name, PASSWORD);
        assertThat(in.status()).as(in.body()).isEqualTo(201);
        return in;
    }

    private Http.Response setPassword(String link, String password) {
        return server.http()
                .post("/v1/people/password", "{\"link\": \"" + link + "\", \"password\": \"" + password + "\"}");
    }

    private Http.Response signIn(String name, String password) {
        return server.http()
                .post("/v1/session", "{\"name\": \"" + name + "\", \"password\": \"" + password + "\"}", JSON);
    }

    private static String session(Http.Response signIn) {
        String cookie = signIn.header("Set-Cookie");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private Http.Response post(String path, String body, String cookie, String csrf) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(server.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        return csrf == null
                ? server.http().send(request, "Cookie", cookie, JSON[0], JSON[1])
                : server.http().send(request, "Cookie", cookie, "X-CSRF-Token", csrf, JSON[0], JSON[1]);
    }

    private Http.Response delete(String path, String cookie, String csrf) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(server.url() + path)).DELETE();
        return csrf == null
                ? server.http().send(request, "Cookie", cookie)
                : server.http().send(request, "Cookie", cookie, "X-CSRF-Token", csrf);
    }
}
