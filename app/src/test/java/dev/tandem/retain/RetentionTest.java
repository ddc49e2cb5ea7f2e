package dev.tandem.retain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.Json;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Http;
import dev.tandem.testing.ProfileSnapshot;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Events past their source's retention leave the live store for the archive files, the profiles
 * built from them stay as they were, {@code tandem replay} rebuilds the same profiles from the
 * archive and the inbox, the quarantine has its own retention, and an erasure reaches the archive.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class RetentionTest {
    private static final String WORKSPACE = """
            sources:
              - name: web
                writeKey: %s
                retention:
                  events: 30d
                  quarantine: 7d
            """.formatted(TestServer.WRITE_KEY);
    private static final List<String> IDS =
            List.of("email:ann@example.com", "user_id:u-ann", "email:bob@example.com", "user_id:u-bob");

    private final StoreKind store;

    @TempDir
    Path dir;

    RetentionTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void eventsPastRetentionMoveToAnArchiveFileAndReplayRebuildsTheSameProfiles() throws IOException {
        TestClock clock = TestClock.standard();
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, clock)) {
            sendCustomers(server);
            server.awaitProcessed();
            assertThat(server.events()).hasSize(5);
            // as stored: personal values sealed (see SealedRawEventsTest), which the archive keeps as they are
            List<JsonNode> stored = server.tandem()
                    .database()
                    .inbox()
                    .jdbi()
                    .withHandle(h -> h.createQuery("SELECT payload FROM inbox ORDER BY seq")
                            .map((rs, ctx) -> dev.tandem.config.JsonText.readOrText(rs.getString(1)))
                            .list());
            List<String> before = ProfileSnapshot.of(server, IDS);
            assertThat(server.profile("email:ann@example.com", "events").json().path("data"))
                    .hasSize(3);

            clock.advance(Duration.ofDays(29));
            server.awaitProcessed();
            assertThat(server.events())
                    .as("within the retention nothing leaves")
                    .hasSize(5);

            clock.advance(Duration.ofDays(2));
            // the newest event stays live: see InboxAging.newest
            awaitInbox(server, clock, 1);
            List<JsonNode> lines = archiveLines(dir.resolve("data/archive/events"));
            assertThat(lines).extracting(l -> l.path("seq").asLong()).containsExactly(1L, 2L, 3L, 4L);
            for (int i = 0; i < 4; i++) {
                assertThat(Json.mapper().readTree(lines.get(i).path("payload").asText()))
                        .as("the payload exactly as it was stored")
                        .isEqualTo(stored.get(i));
            }
            assertThat(sourceDirs(dir.resolve("data/archive/events")))
                    .singleElement()
                    .satisfies(src ->
                            assertThat(src.resolve("2026/2026-01-05.jsonl.gz")).exists());
            assertThat(ProfileSnapshot.of(server, IDS))
                    .as("profiles keep what the events made")
                    .isEqualTo(before);
            assertThat(server.profile("email:ann@example.com", "events").json().path("data"))
                    .as("the events listing shows live events only")
                    .isEmpty();
            JsonNode job = retentionJob(server);
            assertThat(job.path("progress").path("unit").asText()).isEqualTo("rows");

            Http.Response order = server.track(
                    "/v1/track",
                    "{\"userId\": \"u-ann\", \"event\": \"Order Completed\", \"properties\": {\"total\": 12}}");
            assertThat(order.status()).as(order.body()).isEqualTo(200);
            assertThat(server.events()).hasSize(2);
            server.awaitProcessed();
            List<String> live = ProfileSnapshot.of(server, IDS);
            assertThat(live)
                    .as(
                            "set aside: %s",
                            server.admin("/v1/admin/processor/set-aside").body())
                    .isNotEqualTo(before);

            Cli.Result replay = Cli.run("replay", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
            assertThat(replay.code()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("Replaying 6 stored events").contains("Done in");
            assertThat(ProfileSnapshot.of(server, IDS))
                    .as("archive and inbox rebuild the same profiles")
                    .isEqualTo(live);
            assertThat(server.profile("user_id:u-ann", "events").json().path("data"))
                    .as("after a replay the listing still holds only the live event")
                    .singleElement()
                    .satisfies(e -> assertThat(e.path("event").asText()).isEqualTo("Order Completed"));
        }
    }

    @Test
    void quarantinedEventsHaveTheirOwnRetention() throws IOException {
        TestClock clock = TestClock.standard();
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, clock)) {
            sendCustomers(server);
            server.track("/v1/track", "{\"userId\": \"u-ann\", \"properties\": {\"no\": \"event name\"}}");
            server.awaitProcessed();
            assertThat(quarantined(server)).hasSize(1);

            clock.advance(Duration.ofDays(8));
            server.track("/v1/track", "{\"userId\": \"u-bob\", \"properties\": {\"later\": true}}");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        clock.advance(RetentionJob.LOOK_EVERY.plusMinutes(1));
                        return quarantined(server).size() == 1
                                && quarantined(server).toString().contains("later");
                    });
            assertThat(server.events()).as("events are kept for 30 days").hasSize(5);
            assertThat(archiveLines(dir.resolve("data/archive/quarantine")))
                    .singleElement()
                    .satisfies(l -> {
                        assertThat(l.path("code").asText()).isNotEmpty();
                        assertThat(l.path("payload").asText()).contains("event name");
                    });
        }
    }

    @Test
    void anErasureRemovesTheSubjectsArchivedEvents() throws IOException {
        TestClock clock = TestClock.standard();
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, clock)) {
            sendCustomers(server);
            server.track("/v1/identify", "{\"traits\": {\"email\": \"Ann@Example.COM\"}}");
            server.track("/v1/identify", "{\"traits\": {\"email\": \"Bob@Example.COM\"}}");
            server.awaitProcessed();
            clock.advance(Duration.ofDays(31));
            awaitInbox(server, clock, 1);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        clock.advance(RetentionJob.LOOK_EVERY.plusMinutes(1));
                        return quarantined(server).size() == 1;
                    });
            assertThat(archiveText(dir.resolve("data/archive")))
                    .as("Ann's refused event, kept as received, and her archived events")
                    .containsIgnoringCase("ann@example.com")
                    .contains("u-ann");

            String id = UUID.randomUUID().toString();
            JsonNode export = access(server);
            assertThat(export.toString())
                    .as("an access request includes archived events")
                    .contains("Signed Up");

            assertThat(server.adminSend("POST", "/opendsr/requests", """
                            {"subject_request_id": "%s", "subject_request_type": "erasure",
                             "subject_identities": [{"identity_type": "email", "identity_value": "ann@example.com", "identity_format": "raw"}]}""".formatted(id))
                            .status())
                    .isEqualTo(201);
            JsonNode done = awaitCompleted(server, id);
            assertThat(done.path("result").path("archived_events_deleted").asInt())
                    .isEqualTo(3);
            assertThat(done.path("result")
                            .path("archived_quarantined_events_deleted")
                            .asInt())
                    .isEqualTo(1);
            String left = archiveText(dir.resolve("data/archive"));
            assertThat(left).doesNotContainIgnoringCase("ann@example.com").doesNotContain("u-ann");
            assertThat(left).as("Bob's archived events stay (his email sealed)").contains("u-bob");

            Cli.Result replay = Cli.run("replay", "--server", server.url(), "--token", TestServer.ADMIN_TOKEN);
            assertThat(replay.code()).as(replay.err()).isZero();
            assertThat(server.profile("email:ann@example.com", "traits").status())
                    .isEqualTo(404);
            assertThat(server.profile("email:bob@example.com", "traits").status())
                    .isEqualTo(200);
        }
    }

    /** Ann: identify, a page and an order; Bob: identify and a page. */
    private static void sendCustomers(TestServer server) {
        String[] events = {
            "{\"type\": \"identify\", \"userId\": \"u-ann\", \"traits\": {\"email\": \"ann@example.com\", \"plan\": \"gold\"}}",
            "{\"type\": \"page\", \"userId\": \"u-ann\", \"name\": \"Pricing\"}",
            "{\"type\": \"track\", \"userId\": \"u-ann\", \"event\": \"Signed Up\"}",
            "{\"type\": \"identify\", \"userId\": \"u-bob\", \"traits\": {\"email\": \"bob@example.com\"}}",
            "{\"type\": \"page\", \"userId\": \"u-bob\", \"name\": \"Home\"}"
        };
        for (String e : events) {
            assertThat(server.track("/v1/batch", "{\"batch\": [" + e + "]}").status())
                    .isEqualTo(200);
        }
    }

    /**
     * Waits until the inbox holds {@code events}, moving the clock on by a little more than the
     * job's idle period at each look, as time passes for a running server: a slice that began
     * before the test moved the clock looks again one period after it began.
     */
    private static void awaitInbox(TestServer server, TestClock clock, int events) {
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        clock.advance(RetentionJob.LOOK_EVERY.plusMinutes(1));
                        return server.events().size() == events;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "the inbox holds " + server.events().size() + " events, not " + events + "; jobs: "
                            + server.admin("/v1/admin/jobs").body() + "; processor: "
                            + server.admin("/v1/admin/processor").body(),
                    e);
        }
    }

    private static JsonNode quarantined(TestServer server) {
        return server.admin("/v1/quarantine?limit=100").json().path("events");
    }

    static JsonNode retentionJob(TestServer server) {
        for (JsonNode kind : server.admin("/v1/admin/jobs").json().path("kinds")) {
            if (kind.path("kind").asText().equals("retain.archive")) {
                return kind;
            }
        }
        throw new AssertionError(
                "no retain.archive job in " + server.admin("/v1/admin/jobs").body());
    }

    private static JsonNode access(TestServer server) {
        String id = UUID.randomUUID().toString();
        assertThat(server.adminSend("POST", "/opendsr/requests", """
                        {"subject_request_id": "%s", "subject_request_type": "access",
                         "subject_identities": [{"identity_type": "email", "identity_value": "ann@example.com", "identity_format": "raw"}]}""".formatted(id))
                        .status())
                .isEqualTo(201);
        JsonNode done = awaitCompleted(server, id);
        return server.admin(pathOf(done.path("results_url").asText())).json();
    }

    private static String pathOf(String url) {
        return java.net.URI.create(url).getRawPath();
    }

    private static JsonNode awaitCompleted(TestServer server, String id) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> server.admin("/opendsr/requests/" + id).json(),
                        s -> s.path("request_status").asText().equals("completed"));
    }

    private static List<Path> sourceDirs(Path kind) throws IOException {
        try (Stream<Path> s = Files.list(kind)) {
            return s.toList();
        }
    }

    /** Every line of every archive file under {@code root}, files in path order. */
    static List<JsonNode> archiveLines(Path root) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : archiveText(root).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.mapper().readTree(line));
            }
        }
        return lines;
    }

    static String archiveText(Path root) throws IOException {
        StringBuilder text = new StringBuilder();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl.gz")).sorted().toList();
        }
        for (Path file : files) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }
}
