package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Cli;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CLI as a person types it: sources, quarantine list and replay, against a running server. */
class CliTest extends ServerPerTest {
    CliTest() {
        super(StoreKind.SQLITE);
    }

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    @Test
    void sourcesAreAddedAndListedThroughTheServer() {
        Cli.Result added = run(
                "sources",
                "add",
                "--name",
                "android",
                "--write-key",
                "wk_android_123",
                "--server",
                server.url(),
                "--token",
                TestServer.ADMIN_TOKEN);
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("wk_android_123");
        Cli.Result listed = run("sources", "list", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
        assertThat(listed.out()).contains("android").contains("test").contains(TestServer.WRITE_KEY);
        Cli.Result duplicate =
                run("sources", "add", "--name", "android", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
        assertThat(duplicate.code()).isEqualTo(2);
        assertThat(duplicate.err()).contains("exists already");
    }

    @Test
    void theDemoStartsAFreshStoreFeedsItAndSaysWhatToTry() {
        Cli.Result demo = run("demo", "--port", "0", "--customers", "20", "--days", "3", "--exit");
        assertThat(demo.code()).as(demo.err()).isZero();
        assertThat(demo.out())
                .contains("Admin token (shown once")
                .contains("write key: wk_")
                .contains("Try it:")
                .containsPattern("sent [0-9,]+ of [0-9,]+ events \\(100%\\)")
                .contains(", 0 refused");
        assertThat(demo.out())
                .contains("/v1/audiences")
                .contains("/v1/decide")
                .contains("/v1/experiments/hero_copy/results");
        assertThat(demo.out())
                .containsPattern("'warehouse' wrote [1-9][0-9]* orders")
                .contains("destinations health");
        assertThat(demo.out())
                .containsPattern("the console: http://localhost:[0-9]+/ ")
                .containsPattern("ann: http://localhost:[0-9]+/sign-in\\?link=[A-Za-z0-9_-]{20,}&next=%2F")
                .contains("people: ann (marketing, marketer) and ian (IT, steward)")
                .containsPattern("/sign-in\\?link=[A-Za-z0-9_-]{20,}")
                .containsPattern("the audit trail \\([0-9]+ entries, verified\\)")
                .contains("/v1/feed");
    }

    @Test
    void audiencesAreListedAndConditionsPreviewed() {
        server.track("/v1/identify", "{\"userId\": \"u-1\", \"traits\": {\"plan\": \"pro\"}}");
        server.track("/v1/identify", "{\"userId\": \"u-2\", \"traits\": {\"plan\": \"free\"}}");
        server.awaitProcessed();
        assertThat(server.adminSend(
                                "POST",
                                "/v1/admin/audiences",
                                "{\"key\": \"pro\", \"name\": \"Pro plan\", \"owners\": [\"m\"], \"condition\": \"traits.plan == 'pro'\"}")
                        .status())
                .isEqualTo(201);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> run("audiences", "list", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN)
                        .out()
                        .contains("ready"));
        Cli.Result listed = run("audiences", "list", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
        assertThat(listed.out()).containsPattern("pro\\s+ready\\s+1\\s+Pro plan");
        Cli.Result preview = run(
                "audiences",
                "preview",
                "traits.plan == 'free'",
                "--server",
                server.url(),
                "--token",
                TestServer.ADMIN_TOKEN);
        assertThat(preview.out()).contains("exactly 1 profile (").contains("u-2");
        Cli.Result bad = run(
                "audiences", "preview", "traits.plan ==", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("line 1, column");
    }

    @Test
    void profileShowPrintsTraitsIdentifiersEventsAndMerges() {
        assertThat(server.track(
                                "/v1/batch",
                                "{\"batch\":[{\"type\":\"page\",\"anonymousId\":\"anon-7\",\"name\":\"Home\"},"
                                        + "{\"type\":\"track\",\"userId\":\"u-7\",\"event\":\"Signed Up\"},"
                                        + "{\"type\":\"identify\",\"userId\":\"u-7\",\"anonymousId\":\"anon-7\",\"traits\":{\"email\":\"Eve@Example.com\",\"name\":\"Eve\"}}]}")
                        .status())
                .isEqualTo(200);
        server.awaitProcessed();
        Cli.Result shown = run(
                "profile",
                "show",
                "email:eve@example.com",
                "--server",
                server.url(),
                "--token",
                TestServer.ADMIN_TOKEN);
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out())
                .contains(
                        "Traits",
                        "Eve",
                        "user_id",
                        "u-7",
                        "anonymous_id",
                        "anon-7",
                        "Signed Up",
                        "Merges",
                        "joined into",
                        "3 events",
                        "channels web, server");
        Cli.Result json = run(
                "profile",
                "show",
                "user_id:u-7",
                "--json",
                "--server",
                server.url(),
                "--token",
                TestServer.ADMIN_TOKEN);
        assertThat(json.out()).contains("\"external_ids\"", "\"merges\"");
        Cli.Result missing = run(
                "profile",
                "show",
                "email:nobody@example.com",
                "--server",
                server.url(),
                "--token",
                TestServer.ADMIN_TOKEN);
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err())
                .contains("No profile has the identifier email:nobody@example.com")
                .doesNotContain("Exception");
    }

    @Test
    void replayRebuildsProfilesAndShowsProgress() {
        assertThat(server.track(
                                "/v1/batch",
                                "{\"batch\":[{\"type\":\"identify\",\"userId\":\"u-8\",\"traits\":{\"plan\":\"gold\"}}]}")
                        .status())
                .isEqualTo(200);
        server.awaitProcessed();
        Cli.Result replay = run("replay", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.out())
                .contains("Replaying 1 stored events")
                .contains("1 / 1 events (100%)")
                .contains("Done in");
        assertThat(server.profile("user_id:u-8", "traits")
                        .json()
                        .at("/traits/plan")
                        .asText())
                .isEqualTo("gold");
    }

    @Test
    void anApiTokenReadsProfilesUntilItIsDeleted() {
        assertThat(server.track("/v1/identify", "{\"userId\":\"u-9\",\"traits\":{\"plan\":\"silver\"}}")
                        .status())
                .isEqualTo(200);
        server.awaitProcessed();
        Cli.Result created = run(
                "tokens",
                "create",
                "--name",
                "website",
                "--scope",
                "profiles:read",
                "--server",
                server.url(),
                "--token",
                TestServer.ADMIN_TOKEN);
        assertThat(created.code()).as(created.err()).isZero();
        String token = created.out().replaceAll("(?s).*(tdk_[0-9a-f]+).*", "$1");
        assertThat(server.http()
                        .get("/v1/profiles/user_id:u-9/traits", "Authorization", dev.tandem.testing.Http.basic(token))
                        .json()
                        .at("/traits/plan")
                        .asText())
                .isEqualTo("silver");
        assertThat(server.http()
                        .get("/v1/admin/sources", "Authorization", "Bearer " + token)
                        .status())
                .isEqualTo(401);
        assertThat(run("tokens", "list", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN)
                        .out())
                .contains("website", "profiles:read")
                .doesNotContain(token);
        Cli.Result badScope = run(
                "tokens",
                "create",
                "--name",
                "x",
                "--scope",
                "everything",
                "--server",
                server.url(),
                "--token",
                TestServer.ADMIN_TOKEN);
        assertThat(badScope.err()).contains("'scopes' must list one or more of");
        assertThat(run(
                                "tokens",
                                "delete",
                                "--name",
                                "website",
                                "--server",
                                server.url(),
                                "--token",
                                TestServer.ADMIN_TOKEN)
                        .code())
                .isZero();
        assertThat(server.http()
                        .get("/v1/profiles/user_id:u-9/traits", "Authorization", "Bearer " + token)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void serveHelpListsEverySettingWithItsDefault() {
        Cli.Result help = run("serve", "--help");
        assertThat(help.out())
                .as(help.toString())
                .contains("TANDEM_DATABASE_URL", "TANDEM_MAX_PENDING_EVENTS", "(default: 8080)");
    }

    @Test
    void withoutATokenTheCliSaysWhereToGetOne() {
        Cli.Result run = run("sources", "list", "--server", server.url(), "--token", "");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("TANDEM_ADMIN_TOKEN");
        Cli.Result unreachable = run("sources", "list", "--server", "http://localhost:1", "--token", "x");
        assertThat(unreachable.err()).contains("is it running");
    }

    @Test
    void quarantinedEventsAreListedFixedInAFileAndReplayed() throws Exception {
        server.track(
                "/v1/batch",
                "{\"batch\":[{\"type\":\"track\",\"userId\":\"u1\"},{\"type\":\"track\",\"userId\":\"u2\"}]}");
        Cli.Result listed =
                run("quarantine", "list", "--jsonl", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
        assertThat(listed.out().lines()).hasSize(2).allMatch(line -> line.contains("missing_event"));
        String fixedFirst = listed.out()
                .lines()
                .findFirst()
                .orElseThrow()
                .replace("\"userId\":\"u1\"", "\"userId\":\"u1\",\"event\":\"Fixed\"");
        String unfixedSecond = listed.out().lines().skip(1).findFirst().orElseThrow();
        Path file = dir.resolve("q.jsonl");
        Files.writeString(file, fixedFirst + "\n" + unfixedSecond + "\n");
        Cli.Result replayed = run(
                "quarantine",
                "replay",
                "--file",
                file.toString(),
                "--server",
                server.url(),
                "--token",
                TestServer.ADMIN_TOKEN);
        assertThat(replayed.out()).contains("Replayed 1 event(s); 1 still refused");
        assertThat(server.events()).extracting(e -> e.get("event").asText()).containsExactly("Fixed");
        Cli.Result remaining = run("quarantine", "list", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
        assertThat(remaining.out().lines()).hasSize(1);
    }
}
