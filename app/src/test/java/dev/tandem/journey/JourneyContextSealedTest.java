package dev.tandem.journey;

import static dev.tandem.journey.Journeys.track;
import static dev.tandem.journey.Journeys.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance names the event it entered on by its seq in the inbox and keeps no copy of it: the
 * walk reads it back from the inbox when a branch reads it (here personal values, sealed there with
 * the subject's key, read in clear), and the derived database holds neither the event nor its
 * values, so an erasure (which destroys the key) has no second copy to reach.
 */
class JourneyContextSealedTest {
    private static final String IP = "198.51.100.7";
    private static final String EMAIL = "dana.r@example.com";

    @TempDir
    Path dir;

    @Test
    void theEnteringEventStaysInTheInboxAndABranchReadsItInClear() throws Exception {
        String yaml =
                """
                journeys:
                  - key: office
                    owners: [marketing]
                    entry: { event: "event == 'Order Completed'" }
                    reentry: always
                    steps:
                      - branch:
                          - when: "context.ip.startsWith('198.51.100.') && properties.email.endsWith('@example.com')"
                            steps: [ { exit: from_office } ]
                          - otherwise: true
                            steps: [ { exit: elsewhere } ]
                """; // the condition names neither value whole: the file then holds them only where it stores events
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, yaml, TestClock.standard())) {
            Journeys.send(
                    server,
                    List.of(track(
                            "dana",
                            "Order Completed",
                            "o1",
                            "{\"total\": 42, \"email\": \"" + EMAIL + "\"}, \"context\": {\"ip\": \"" + IP + "\"}")));
            server.awaitProcessed();
            until(server, "office", s -> Journeys.step(s, "0").path("advanced").asLong() == 1);
            JsonNode instance = server.admin("/v1/journeys/office/instances?profile=user_id:dana")
                    .json()
                    .at("/instances/0");
            assertThat(instance.path("exitReason").asText())
                    .as("the branch read the sealed ip and email in clear: %s", instance)
                    .isEqualTo("from_office");
        }
        String stored = storedBytes(dir.resolve("data"));
        assertThat(stored)
                .as("the instance keeps no copy of the entering event")
                .doesNotContain("\"total\":42")
                .doesNotContain("\"total\": 42");
        assertThat(stored).as("the database holds the ip only sealed").doesNotContain(IP);
        assertThat(stored).as("the database holds the email only sealed").doesNotContain(EMAIL);
    }

    /**
     * An instance stored before V30 holds its entering event itself (no seq): after the upgrade its
     * walk still reads that copy. The row is written as those versions wrote it, then woken.
     */
    @Test
    void anInstanceStoredBeforeItsEventWasReferencedStillReadsItsOwnCopy() throws Exception {
        String yaml = """
                journeys:
                  - key: legacy
                    owners: [marketing]
                    entry: { event: "event == 'Never Sent'" }
                    steps:
                      - wait: 1d
                      - branch:
                          - when: "properties.plan == 'gold'"
                            steps: [ { exit: gold } ]
                          - otherwise: true
                            steps: [ { exit: other } ]
                """;
        TestClock clock = TestClock.standard();
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, yaml, clock)) {
            Journeys.send(server, List.of(Journeys.identify("eli", true, "{}")));
            server.awaitProcessed();
            long profile = Long.parseLong(server.admin("/v1/profiles/user_id:eli/traits")
                    .json()
                    .path("profile_id")
                    .asText());
            long now = clock.millis();
            server.tandem()
                    .database()
                    .jdbi()
                    .useHandle(h -> h.createUpdate(
                                    "INSERT INTO journey_instances (journey, profile_id, entry_key, version, step, status, "
                                            + "holdout, entered_at, due_at, context) VALUES ('legacy', :p, '', 1, '0', "
                                            + "'waiting', 0, :t, :due, :context)")
                            .bind("p", profile)
                            .bind("t", now)
                            .bind("due", now + 86_400_000L)
                            .bind(
                                    "context",
                                    "{\"type\":\"track\",\"event\":\"Never Sent\",\"properties\":{\"plan\":\"gold\"}}")
                            .execute());
            clock.advance(java.time.Duration.ofDays(1).plusMinutes(1));
            server.adminSend("POST", "/v1/journeys/legacy/pause", "");
            server.adminSend("POST", "/v1/journeys/legacy/resume", ""); // wakes the runner, as a start does
            until(server, "legacy", s -> Journeys.step(s, "1").path("advanced").asLong() == 1);
            JsonNode instance = server.admin("/v1/journeys/legacy/instances?profile=user_id:eli")
                    .json()
                    .at("/instances/0");
            assertThat(instance.path("exitReason").asText())
                    .as("the branch read the row's own copy: %s", instance)
                    .isEqualTo("gold");
        }
    }

    /**
     * An entering event that no longer opens (its stored ciphertext damaged) costs only its own
     * instance the event: that one walks on without it, and the other instances of the slice walk
     * as usual, rather than the slice failing again at every retry.
     */
    @Test
    void anEnteringEventThatDoesNotOpenHoldsUpNoOtherInstance() throws Exception {
        String yaml = """
                journeys:
                  - key: later
                    owners: [marketing]
                    entry: { event: "event == 'Order Completed'" }
                    steps:
                      - wait: 1d
                      - branch:
                          - when: "properties.email.endsWith('@example.com')"
                            steps: [ { exit: known } ]
                          - otherwise: true
                            steps: [ { exit: unknown } ]
                """;
        TestClock clock = TestClock.standard();
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, yaml, clock)) {
            Journeys.send(
                    server,
                    List.of(
                            track("fay", "Order Completed", "o-fay", "{\"email\": \"fay@example.com\"}"),
                            track("gus", "Order Completed", "o-gus", "{\"email\": \"gus@example.com\"}")));
            server.awaitProcessed();
            until(server, "later", s -> Journeys.step(s, "0").path("waiting").asLong() == 2);
            int damaged = server.tandem().database().inbox().jdbi().withHandle(h -> {
                String payload = h.createQuery("SELECT payload FROM inbox WHERE payload LIKE '%o-fay%'")
                        .mapTo(String.class)
                        .one();
                String broken = payload.replaceAll("(tdk:e1:[^:\"]+:)[^\"]+", "$1AAAA");
                return h.createUpdate("UPDATE inbox SET payload = :p WHERE payload LIKE '%o-fay%'")
                        .bind("p", broken)
                        .execute();
            });
            assertThat(damaged).isEqualTo(1);
            clock.advance(java.time.Duration.ofDays(1).plusMinutes(1));
            until(server, "later", s -> Journeys.step(s, "1").path("advanced").asLong() == 2);
            assertThat(exitReason(server, "fay")).isEqualTo("unknown");
            assertThat(exitReason(server, "gus")).isEqualTo("known");
        }
    }

    private static String exitReason(TestServer server, String user) {
        return server.admin("/v1/journeys/later/instances?profile=user_id:" + user)
                .json()
                .at("/instances/0/exitReason")
                .asText();
    }

    /** The bytes of tandem.db and its write-ahead log, where journey instances are kept. */
    private static String storedBytes(Path data) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("tandem.db"))
                    .toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}
