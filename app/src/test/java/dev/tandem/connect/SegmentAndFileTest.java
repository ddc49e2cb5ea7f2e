package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.Json;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The segment forwarder's batches are accepted by a second Tandem; the file connector writes JSON
 * Lines and CSV, rotated by size; an erasure reaches the tools that received the subject as a
 * signed delete, and the privacy request's result names them.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class SegmentAndFileTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    SegmentAndFileTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void segmentRoundTripIntoASecondTandem() throws Exception {
        Files.createDirectories(dir.resolve("second"));
        try (TestServer second = TestServer.start(store, dir.resolve("second"))) {
            String yaml = """
                    destinations:
                      - key: downstream
                        type: segment
                        owners: [it-integrations]
                        settings: { url: "%s", writeKey: "%s", maxBatch: 50 }
                        purposes: [analytics]
                        events: "type in ['track', 'page']"
                        identifies: true
                    """.formatted(second.url(), TestServer.WRITE_KEY);
            Files.createDirectories(dir.resolve("first"));
            try (TestServer first = TestServer.withWorkspace(store, dir.resolve("first"), yaml)) {
                first.track("/v1/identify", "{\"userId\": \"u-7\", \"traits\": {\"plan\": \"pro\"}}");
                for (int i = 0; i < 5; i++) {
                    first.track(
                            "/v1/track",
                            "{\"userId\": \"u-7\", \"event\": \"Viewed\", \"messageId\": \"v-" + i
                                    + "\", \"properties\": {\"i\": " + i + "}}");
                }
                first.awaitProcessed();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> second.events().size() >= 6);
                List<String> ids = second.events().stream()
                        .map(e -> e.path("messageId").asText())
                        .toList();
                assertThat(ids).contains("v-0", "v-1", "v-2", "v-3", "v-4");
                JsonNode viewed = second.events().stream()
                        .filter(e -> e.path("messageId").asText().equals("v-3"))
                        .findFirst()
                        .orElseThrow();
                assertThat(viewed.path("properties").path("i").asInt()).isEqualTo(3);
                second.awaitProcessed();
                assertThat(second.profile("user_id:u-7", "traits")
                                .json()
                                .path("traits")
                                .path("plan")
                                .asText())
                        .isEqualTo("pro");
                assertThat(first.admin("/v1/destinations/downstream/health")
                                .json()
                                .path("delivered")
                                .asLong())
                        .isGreaterThanOrEqualTo(6);
            }
        }
    }

    @Test
    void fileConnectorWritesJsonLinesAndCsvRotatedBySize() throws Exception {
        String yaml = """
                destinations:
                  - key: lake
                    type: file
                    owners: [data-platform]
                    settings: { directory: exports/lake, format: jsonl, rotateBytes: 1024, maxBatch: 2 }
                    purposes: [analytics]
                    events: "type == 'track'"
                  - key: sheet
                    type: file
                    owners: [data-platform]
                    settings: { directory: exports/sheet, format: csv }
                    purposes: [analytics]
                    events: "type == 'track'"
                """;
        try (TestServer server = TestServer.withWorkspace(store, dir, yaml)) {
            for (int i = 0; i < 20; i++) {
                server.track(
                        "/v1/track",
                        "{\"userId\": \"u-" + i + "\", \"event\": \"Bought, \\\"big\\\"\", \"messageId\": \"b-" + i
                                + "\", \"properties\": {\"price\": " + i + "}}");
            }
            server.awaitProcessed();
            Path lake = Path.of(server.config().data().toString(), "exports", "lake");
            Path sheet = Path.of(server.config().data().toString(), "exports", "sheet");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> lines(lake).size() == 20 && lines(sheet).size() == 21);
            try (Stream<Path> files = Files.list(lake)) {
                assertThat(files.filter(f -> f.getFileName().toString().matches("lake-\\d{8}T\\d{6}\\.\\d{3}Z\\.jsonl"))
                                .count())
                        .isGreaterThan(1);
            }
            List<String> ids = new ArrayList<>();
            for (String line : lines(lake)) {
                ids.add(Json.mapper().readTree(line).path("messageId").asText());
            }
            assertThat(ids).hasSize(20).doesNotHaveDuplicates();
            List<String> csv = lines(sheet);
            assertThat(csv.get(0))
                    .isEqualTo("messageId,type,event,userId,anonymousId,timestamp,profileId,properties,traits");
            assertThat(csv.get(1))
                    .startsWith("b-0,track,\"Bought, \"\"big\"\"\",u-0,,")
                    .contains(",\"{\"\"price\"\":0}\",");
        }
    }

    @Test
    void anErasureReachesTheToolsThatReceivedTheSubject() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String yaml = """
                    destinations:
                      - key: crm
                        type: webhook
                        owners: [it-integrations]
                        settings: { url: "%s", secret: "%s" }
                        purposes: [analytics]
                        identifies: true
                      - key: unused
                        type: webhook
                        owners: [it-integrations]
                        settings: { url: "%s", secret: "%s" }
                        purposes: [analytics]
                        events: "event == 'Never Sent'"
                    """.formatted(
                            receiver.url("/crm"),
                            WebhookDeliveryTest.SECRET,
                            receiver.url("/unused"),
                            WebhookDeliveryTest.SECRET);
            try (TestServer server = TestServer.withWorkspace(store, dir, yaml)) {
                server.track(
                        "/v1/identify",
                        "{\"userId\": \"u-erin\", \"anonymousId\": \"a-erin\", \"traits\": {\"email\": \"erin@example.com\"}}");
                server.awaitProcessed();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .until(() ->
                                !WebhookDeliveryTest.messages(receiver, "/crm").isEmpty());
                String id = UUID.randomUUID().toString();
                var submitted = server.adminSend("POST", "/opendsr/requests", """
                        {"subject_request_id": "%s", "subject_request_type": "erasure", "submitted_time": "2026-11-20T10:00:00Z", "api_version": "1.0",
                         "subject_identities": [{"identity_type": "email", "identity_value": "erin@example.com", "identity_format": "raw"}]}""".formatted(id));
                assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
                JsonNode done = Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(
                                () -> server.admin("/opendsr/requests/" + id).json(),
                                s -> s.path("request_status").asText().equals("completed"));
                assertThat(done.path("result").path("destination_deletions").toString())
                        .isEqualTo("[\"crm\"]");
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> WebhookDeliveryTest.messages(receiver, "/crm").stream()
                                .anyMatch(m -> m.path("type").asText().equals("delete")));
                JsonNode delete = WebhookDeliveryTest.messages(receiver, "/crm").stream()
                        .filter(m -> m.path("type").asText().equals("delete"))
                        .findFirst()
                        .orElseThrow();
                assertThat(delete.path("userIds").toString()).isEqualTo("[\"u-erin\"]");
                assertThat(delete.path("anonymousIds").toString()).isEqualTo("[\"a-erin\"]");
                assertThat(delete.path("context")
                                .path("tandem")
                                .path("privacyRequest")
                                .asText())
                        .isEqualTo(id);
                assertThat(receiver.requests()).noneMatch(r -> r.path().equals("/unused"));
            }
        }
    }

    private static List<String> lines(Path directory) throws java.io.IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.sorted().toList()) {
                out.addAll(Files.readAllLines(f));
            }
        }
        return out;
    }
}
