package dev.tandem.protect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Raw events are sealed per subject: the personal values of every stored event are encrypted with
 * a key of its user id (else its anonymous id), kept in the key store. Readers (the pipeline, the
 * read-back and Profile APIs, access exports) see them in clear; an erasure destroys the subject's
 * keys, so a copy of the data directory taken before the erasure shows none of them, while every
 * other subject's events still decrypt.
 */
class SealedRawEventsTest {
    private static final String[] DANA = {"dana.r@example.com", "Dana Rowe", "+1 212 555 0143", "+12125550143"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void readersSeeSealedValuesInClear(StoreKind store) {
        try (TestServer server = TestServer.start(
                store,
                dir.resolve("data"),
                Clock.systemUTC(),
                Map.of("keyStore", dir.resolve("keys").toString()))) {
            sendDanaAndEli(server);
            server.awaitProcessed();
            List<JsonNode> events = server.events();
            assertThat(events).hasSize(4);
            assertThat(events.get(0).at("/traits/email").asText()).isEqualTo("dana.r@example.com");
            assertThat(events.get(0).at("/traits/name").asText()).isEqualTo("Dana Rowe");
            assertThat(events.get(1).at("/context/ip").asText())
                    .as("a personal value in context, by the built-in classification")
                    .isEqualTo("198.51.100.7");
            assertThat(events.get(1).at("/properties/total").asInt()).isEqualTo(42);
            assertThat(server.profile("user_id:u-dana", "traits")
                            .json()
                            .at("/traits/email")
                            .asText())
                    .as("the pipeline read the sealed email in clear")
                    .isEqualTo("dana.r@example.com");
            assertThat(server.profile("email:dana.r@example.com", "events").body())
                    .contains("Dana Rowe")
                    .contains("Order Completed");
        }
    }

    @Test
    void aCopyTakenBeforeAnErasureShowsNoneOfTheSubjectsPersonalValues() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        Path backup = dir.resolve("backup");
        Map<String, String> settings = Map.of("keyStore", keys.toString());
        try (TestServer server = TestServer.start(StoreKind.SQLITE, data, Clock.systemUTC(), settings)) {
            sendDanaAndEli(server);
            server.awaitProcessed();
        }
        copy(data, backup);
        String inbox = new String(Files.readAllBytes(data.resolve("inbox.db")), StandardCharsets.ISO_8859_1);
        for (String personal : DANA) {
            assertThat(inbox).as("the inbox holds %s only sealed", personal).doesNotContain(personal);
        }
        assertThat(inbox)
                .as("general values stay readable")
                .contains("Order Completed")
                .contains("olaf-plan-77");

        try (TestServer server = TestServer.start(StoreKind.SQLITE, data, Clock.systemUTC(), settings)) {
            String id = UUID.randomUUID().toString();
            assertThat(server.adminSend("POST", "/opendsr/requests", """
                            {"subject_request_id": "%s", "subject_request_type": "erasure",
                             "subject_identities": [{"identity_type": "email", "identity_value": "dana.r@example.com", "identity_format": "raw"}]}""".formatted(id))
                            .status())
                    .isEqualTo(201);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.admin("/opendsr/requests/" + id)
                            .json()
                            .path("request_status")
                            .asText()
                            .equals("completed"));
        }

        // The copy from before the erasure, started beside the same key store: Dana's values are gone from it.
        try (TestServer restored = TestServer.start(StoreKind.SQLITE, backup, Clock.systemUTC(), settings)) {
            List<JsonNode> events = restored.events();
            assertThat(events).as("the copy still holds the four events").hasSize(4);
            String all = events.toString();
            for (String personal : DANA) {
                assertThat(all)
                        .as("the copy's events must not show %s", personal)
                        .doesNotContain(personal);
            }
            assertThat(all).doesNotContain("198.51.100.7");
            assertThat(events.get(1).path("event").asText())
                    .as("what was general stays")
                    .isEqualTo("Order Completed");
            assertThat(events.get(1).at("/properties/total").asInt()).isEqualTo(42);
            JsonNode eli = events.get(3);
            assertThat(eli.at("/traits/email").asText())
                    .as("another subject's events still decrypt")
                    .isEqualTo("eli@example.com");
            assertThat(eli.at("/traits/plan").asText()).isEqualTo("olaf-plan-77");
        }
    }

    @Test
    void withSealingTurnedOffValuesAreStoredInClearAndSealedOnesStillOpen() throws Exception {
        Path data = dir.resolve("data");
        String keys = dir.resolve("keys").toString();
        try (TestServer server =
                TestServer.start(StoreKind.SQLITE, data, Clock.systemUTC(), Map.of("keyStore", keys))) {
            server.track("/v1/identify", "{\"userId\": \"u-ann\", \"traits\": {\"email\": \"ann@example.com\"}}");
        }
        try (TestServer server = TestServer.start(
                StoreKind.SQLITE, data, Clock.systemUTC(), Map.of("keyStore", keys, "sealRawEvents", "false"))) {
            server.track("/v1/identify", "{\"userId\": \"u-bo\", \"traits\": {\"email\": \"bo@example.com\"}}");
            List<JsonNode> events = server.events();
            assertThat(events.get(0).at("/traits/email").asText())
                    .as("sealed before, opened now")
                    .isEqualTo("ann@example.com");
            assertThat(events.get(1).at("/traits/email").asText()).isEqualTo("bo@example.com");
        }
        String inbox = new String(Files.readAllBytes(data.resolve("inbox.db")), StandardCharsets.ISO_8859_1);
        assertThat(inbox).doesNotContain("ann@example.com").contains("bo@example.com");
    }

    /** Dana: an anonymous page view before she identifies, then identify and an order; Eli: one identify. */
    private static void sendDanaAndEli(TestServer server) {
        server.track("/v1/identify", """
                {"userId": "u-dana", "anonymousId": "a-dana", "traits": {"email": "dana.r@example.com", "name": "Dana Rowe", "phone": "+1 212 555 0143"}}""");
        server.track("/v1/track", """
                {"userId": "u-dana", "event": "Order Completed", "properties": {"total": 42}, "context": {"ip": "198.51.100.7"}}""");
        server.track("/v1/page", """
                {"anonymousId": "a-dana", "name": "Pricing", "context": {"traits": {"email": "dana.r@example.com"}}}""");
        server.track("/v1/identify", """
                {"userId": "u-eli", "traits": {"email": "eli@example.com", "plan": "olaf-plan-77"}}""");
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f));
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
