package dev.tandem.journey;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.connect.Receiver;
import dev.tandem.server.Workspace;
import dev.tandem.testing.Cli;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every wrong declaration stops start-up naming its field; every bad request gets the JSON error
 * with its field; no credentials is 401 and a token without {@code journeys:read} 403; the CLI
 * lists, dry-runs, pauses and resumes.
 */
class JourneyApiTest {
    @TempDir
    Path dir;

    private static final String DESTINATION = """
            destinations:
              - key: email_tool
                type: webhook
                owners: [it]
                settings: { url: "http://127.0.0.1:9/hook", secret: "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" }
                purposes: [email_marketing]
            """;

    private String journey(String entry, String steps) {
        return DESTINATION + """
                journeys:
                  - key: j
                    owners: [marketing]
                    entry: %s
                    steps: %s
                """.formatted(entry, steps);
    }

    private void refused(String yaml, String path, String says) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> Workspace.load(file))
                .hasMessageContaining(path)
                .hasMessageContaining(says);
    }

    @Test
    void wrongDeclarationsNameTheirField() throws Exception {
        String signUp = "{ event: \"event == 'Signed Up'\" }";
        refused(journey("{ event: \"event ==\" }", "[ { exit: done } ]"), "/journeys/0/entry/event", "");
        refused(
                journey(signUp, "[ { send: { destination: nowhere } } ]"),
                "/journeys/0/steps/0/send/destination",
                "unknown destination 'nowhere'");
        refused(
                journey(signUp, "[ { split: [ { percent: 60, steps: [] }, { percent: 30, steps: [] } ] } ]"),
                "/journeys/0/steps/0/split",
                "sum to 100");
        refused(journey(signUp, "[ { teleport: 1 } ]"), "/journeys/0/steps/0/teleport", "unknown field 'teleport'");
        refused(journey(signUp, "[ { wait: soon } ]"), "/journeys/0/steps/0/wait", "positive duration");
        refused(
                journey(signUp, "[ { branch: [ { when: \"traits.plan ==\", steps: [] } ] } ]"),
                "/journeys/0/steps/0/branch/0/when",
                "");
        refused(
                journey("{ schedule: daily }", "[ { exit: done } ]"),
                "/journeys/0/entry/schedule",
                "must be a mapping");
        refused(
                journey("{ schedule: { every: 30m } }", "[ { exit: x } ]"),
                "/journeys/0/entry/schedule/every",
                "1h to 366d");
        refused(
                journey("{ schedule: { every: 99999999999999999999d } }", "[ { exit: x } ]"),
                "/journeys/0/entry/schedule/every",
                "positive duration");
        refused(journey("{ schedule: { every: soon } }", "[ { exit: x } ]"), "/journeys/0/entry/schedule/every", "");
        refused(journey("{ schedule: {} }", "[ { exit: x } ]"), "/journeys/0/entry/schedule/every", "");
        refused(
                journey("{ schedule: { every: 1d, at: \"25:00\" } }", "[ { exit: x } ]"),
                "/journeys/0/entry/schedule/at",
                "HH:MM");
        refused(
                journey("{ schedule: { every: 1d, at: \"9am\" } }", "[ { exit: x } ]"),
                "/journeys/0/entry/schedule/at",
                "HH:MM");
        refused(
                journey("{ schedule: { every: 12h, at: \"09:00\" } }", "[ { exit: x } ]"),
                "/journeys/0/entry/schedule/every",
                "whole number of days");
        refused(
                journey("{ schedule: { every: 1d, cron: \"* * *\" } }", "[ { exit: x } ]"),
                "/journeys/0/entry/schedule/cron",
                "unknown field 'cron'");
        refused(
                journey("{ schedule: { every: 1d }, event: \"true\" }", "[ { exit: x } ]"),
                "/journeys/0/entry/event",
                "not on an event");
        refused(
                journey("{ schedule: { every: 1d }, audience: \"VIP!\" }", "[ { exit: x } ]"),
                "/journeys/0/entry/audience",
                "audience key");
        refused(journey("{ audience: \"a b\" }", "[ { exit: x } ]"), "/journeys/0/entry/audience", "audience key");
        refused(
                journey(signUp, "[ { wait_for: { audience: vip, event: \"true\", timeout: 1d } } ]"),
                "/journeys/0/steps/0/wait_for",
                "exactly one of 'event'");
        refused(
                journey(signUp, "[ { wait_for: { timeout: 1d } } ]"),
                "/journeys/0/steps/0/wait_for",
                "exactly one of 'event'");
        refused(
                journey(signUp, "[ { wait_for: { audience: \"Nope-1\", timeout: 1d } } ]"),
                "/journeys/0/steps/0/wait_for/audience",
                "audience key");
        refused(
                journey(signUp, "[ { wait_for: { audience: vip } } ]"),
                "/journeys/0/steps/0/wait_for/timeout",
                "positive duration");
        refused(journey(signUp, "[ { wait_for: vip } ]"), "/journeys/0/steps/0/wait_for", "must be a mapping");
        refused(
                journey(signUp, "[ { exit: x } ]").replace("entry:", "exitWhen: { leftAudience: 7 }\n    entry:"),
                "/journeys/0/exitWhen/leftAudience",
                "audience key");
        refused(
                journey(signUp, "[ { exit: x } ]").replace("entry:", "exitWhen: {}\n    entry:"),
                "/journeys/0/exitWhen",
                "needs 'event'");
        refused(
                journey(signUp, "[ { exit: x } ]").replace("entry:", "exitWhen: { left: vip }\n    entry:"),
                "/journeys/0/exitWhen/left",
                "unknown field 'left'");
        refused(
                journey(signUp, "[ { exit: x } ]").replace("entry:", "exitWhen: { event: \"event ==\" }\n    entry:"),
                "/journeys/0/exitWhen/event",
                "");
        refused(
                journey(signUp, "[ { exit: x } ]").replace("entry:", "exitWhen: [a]\n    entry:"),
                "/journeys/0/exitWhen",
                "leftAudience");
        refused(
                DESTINATION + "journeys:\n  - key: j\n    entry: { event: \"true\" }\n    steps: [ { exit: x } ]\n",
                "/journeys/0/owners",
                "owners");
        refused(
                journey(signUp, "[ { exit: x } ]").replace("entry:", "reentry: sometimes\n    entry:"),
                "/journeys/0/reentry",
                "once, always");
        refused(
                journey(signUp, "[ { exit: x } ]") + "frequencyCaps: { email: 0 }\n",
                "/frequencyCaps/email",
                "whole number");
    }

    @Test
    void everyRouteRefusesWithoutCredentialsOrWithTooLittleAndReadsBadInputAsAClearError() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = hello(receiver)) {
            String audiences = token(server, "[\"audiences:read\", \"profiles:read\", \"experiments:read\"]");
            String reader = token(server, "[\"journeys:read\"]");
            String[] reads = {
                "/v1/journeys",
                "/v1/journeys/hello",
                "/v1/journeys/hello/stats",
                "/v1/journeys/hello/instances?profile=user_id:ann"
            };
            for (String path : reads) {
                assertError(server.http().get(path), 401, "missing_token");
                assertThat(server.http()
                                .get(path, "Authorization", "Bearer " + audiences)
                                .status())
                        .as(path)
                        .isEqualTo(403);
            }
            for (String action : new String[] {"pause", "resume", "dryrun"}) {
                String path = "/v1/journeys/hello/" + action;
                assertError(server.http().post(path, ""), 401, "missing_token");
                // an API token, even one that reads journeys, does not act on them: that is the admin's
                assertThat(server.http()
                                .post(path, "", "Authorization", "Bearer " + reader)
                                .status())
                        .as(path)
                        .isIn(401, 403);
            }
            assertThat(server.admin("/v1/journeys/hello").json().path("status").asText())
                    .as("the refused pause changed nothing")
                    .isEqualTo("live");

            // bad input: wrong types, out of range, huge
            for (String days : new String[] {"abc", "1.5", "-1", "401", "99999999999999999999", ""}) {
                var r = server.adminSend("POST", "/v1/journeys/hello/dryrun?days=" + days, "");
                assertError(r, 400, "invalid_days");
            }
            for (String version : new String[] {"x", "-1", "1.0", "99999999999999999999"}) {
                var r = server.admin("/v1/journeys/hello/stats?version=" + version);
                assertThat(r.status()).as(version + ": " + r.body()).isIn(400, 404);
                assertThat(r.json().at("/error/code").asText()).isIn("invalid_version", "version_not_found");
            }
            assertError(server.admin("/v1/journeys/" + "k".repeat(5_000)), 404, "journey_not_found");
            assertError(server.admin("/v1/journeys/" + "k".repeat(5_000) + "/stats"), 404, "journey_not_found");
            var hugeProfile = server.admin("/v1/journeys/hello/instances?profile=user_id:" + "u".repeat(5_000));
            assertThat(hugeProfile.status()).as(hugeProfile.body()).isIn(400, 404);
            assertThat(hugeProfile.json().at("/error/code").asText()).isNotBlank();
            // a body is not part of these calls: a huge or malformed one changes nothing about them
            var paused = server.adminSend("POST", "/v1/journeys/hello/pause", "{\"paused\": " + "9".repeat(2_000_000));
            assertThat(paused.status()).as(paused.body()).isEqualTo(200);
            assertThat(server.admin("/v1/journeys/hello").json().path("status").asText())
                    .isEqualTo("paused");
            var resumed = server.adminSend("POST", "/v1/journeys/hello/resume", "[\"not\", \"an\", \"object\"]");
            assertThat(resumed.status()).isEqualTo(200);
            assertThat(server.admin("/v1/journeys/hello").json().path("status").asText())
                    .isEqualTo("live");
        }
    }

    /** A server with one live journey, {@code hello}: a send on sign-up. */
    private TestServer hello(Receiver receiver) {
        return TestServer.withWorkspace(
                StoreKind.SQLITE,
                dir,
                Journeys.destination(receiver) + "journeys:\n  - key: hello\n    owners: [marketing]\n"
                        + "    entry: { event: \"event == 'Signed Up'\" }\n"
                        + "    steps: [ { send: { destination: email_tool, message: { template: hi } } } ]\n");
    }

    private static String token(TestServer server, String scopes) {
        return server.adminSend(
                        "POST",
                        "/v1/admin/tokens",
                        "{\"name\": \"t" + scopes.hashCode() + "\", \"scopes\": " + scopes + "}")
                .json()
                .path("token")
                .asText();
    }

    @Test
    void badRequestsCredentialsAndScopes() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = hello(receiver)) {
            assertError(server.admin("/v1/journeys/nope"), 404, "journey_not_found");
            assertError(server.admin("/v1/journeys/nope/stats"), 404, "journey_not_found");
            var missing = server.admin("/v1/journeys/hello/instances");
            assertError(missing, 400, "missing_profile");
            assertThat(missing.json().at("/error/field").asText()).isEqualTo("profile");
            var wrong = server.admin("/v1/journeys/hello/instances?profile=nobody");
            assertError(wrong, 400, "invalid_identifier");
            assertThat(wrong.json().at("/error/field").asText()).isEqualTo("profile");
            assertError(server.admin("/v1/journeys/hello/instances?profile=user_id:ghost"), 404, "profile_not_found");
            var days = server.adminSend("POST", "/v1/journeys/hello/dryrun?days=0", "");
            assertError(days, 400, "invalid_days");
            assertThat(days.json().at("/error/field").asText()).isEqualTo("days");
            assertError(server.admin("/v1/journeys/hello/stats?version=x"), 400, "invalid_version");
            assertError(server.admin("/v1/journeys/hello/stats?version=9"), 404, "version_not_found");

            assertThat(server.http().get("/v1/journeys").status()).isEqualTo(401);
            assertThat(server.http().post("/v1/journeys/hello/pause", "").status())
                    .isEqualTo(401);
            String other = server.adminSend(
                            "POST", "/v1/admin/tokens", "{\"name\": \"aud\", \"scopes\": [\"audiences:read\"]}")
                    .json()
                    .path("token")
                    .asText();
            assertThat(server.http()
                            .get("/v1/journeys", "Authorization", "Bearer " + other)
                            .status())
                    .isEqualTo(403);
            String reader = server.adminSend(
                            "POST", "/v1/admin/tokens", "{\"name\": \"jr\", \"scopes\": [\"journeys:read\"]}")
                    .json()
                    .path("token")
                    .asText();
            assertThat(server.http()
                            .get("/v1/journeys", "Authorization", "Bearer " + reader)
                            .status())
                    .isEqualTo(200);
            // which journeys a profile is in is the profile's data: journeys:read alone does not show it
            assertError(
                    server.http()
                            .get(
                                    "/v1/journeys/hello/instances?profile=user_id:nobody",
                                    "Authorization",
                                    "Bearer " + reader),
                    403,
                    "missing_scope");
            String both = server.adminSend(
                            "POST",
                            "/v1/admin/tokens",
                            "{\"name\": \"jp\", \"scopes\": [\"journeys:read\", \"profiles:read\"]}")
                    .json()
                    .path("token")
                    .asText();
            assertThat(server.http()
                            .get(
                                    "/v1/journeys/hello/instances?profile=user_id:nobody",
                                    "Authorization",
                                    "Bearer " + both)
                            .status())
                    .isNotEqualTo(403)
                    .isNotEqualTo(401);

            // the entry is shown once, not as "event event == ..."
            assertThat(server.admin("/v1/journeys")
                            .json()
                            .at("/journeys/0/entry")
                            .asText())
                    .isEqualTo("on event == 'Signed Up'");
            String list = cli(server, "journeys", "list");
            assertThat(list).contains("hello v1 live").contains("send");
            assertThat(cli(server, "journeys", "pause", "hello")).contains("hello paused");
            assertThat(cli(server, "journeys", "resume", "hello")).contains("hello live");
            assertThat(cli(server, "journeys", "dryrun", "hello", "--days", "3"))
                    .contains("would enter");
        }
    }

    private static String cli(TestServer server, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = TestServer.ADMIN_TOKEN;
        Cli.Result r = Cli.run(all);
        assertThat(r.code()).as(r.err()).isZero();
        return r.out();
    }
}
