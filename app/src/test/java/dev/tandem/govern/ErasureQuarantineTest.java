package dev.tandem.govern;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** An erasure finds the subject's refused events whatever the spelling of the identifiers in them. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ErasureQuarantineTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    ErasureQuarantineTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void quarantinedEventsWithTheEmailInAnotherCaseOrThePhoneInAnotherFormatAreErased() {
        try (TestServer server = TestServer.start(store, dir)) {
            server.track("/v1/identify", """
                    {"userId": "u-ann", "traits": {"email": "ann@example.com", "phone": "+1 212 555 0143"}}""");
            server.track("/v1/identify", "{\"userId\": \"u-olaf\", \"traits\": {\"email\": \"olaf@example.com\"}}");
            server.awaitProcessed();
            // refused: no identity, no event name, an element that is not an object, and a control of another customer
            server.track("/v1/identify", "{\"traits\": {\"email\": \"Ann@Example.COM\"}}");
            server.track("/v1/track", "{\"userId\": \"x-1\", \"properties\": {\"callback\": \"(212) 555-0143\"}}");
            server.track("/v1/batch", "{\"batch\": [\"please call 212.555.0143 or write to ANN@example.com\"]}");
            server.track("/v1/identify", "{\"traits\": {\"email\": \"Olaf@Example.com\"}}");
            // a payload that is not JSON, as a collector keeping malformed bodies would store it
            server.tandem()
                    .database()
                    .inbox()
                    .jdbi()
                    .useHandle(h -> h.createUpdate("INSERT INTO quarantine (source_id, received_at, code, message, "
                                    + "payload) VALUES ('src', 0, 'invalid_json', 'not JSON', :p)")
                            .bind("p", "{\"traits\": {\"email\": \"ANN@EXAMPLE.COM\"")
                            .execute());
            // counted in the table: the quarantine listing cannot render a payload that is not JSON
            int stored = server.tandem()
                    .database()
                    .inbox()
                    .jdbi()
                    .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM quarantine")
                            .mapTo(Integer.class)
                            .one());
            assertThat(stored).isEqualTo(5);

            String id = UUID.randomUUID().toString();
            assertThat(server.adminSend("POST", "/opendsr/requests", """
                    {"subject_request_id": "%s", "subject_request_type": "erasure",
                     "subject_identities": [{"identity_type": "email", "identity_value": "ann@example.com", "identity_format": "raw"}]}""".formatted(id))
                            .status())
                    .isEqualTo(201);
            JsonNode done = Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () -> server.admin("/opendsr/requests/" + id).json(),
                            s -> s.path("request_status").asText().equals("completed"));
            assertThat(done.path("result").path("quarantined_events_deleted").asInt())
                    .isEqualTo(4);

            JsonNode left = quarantined(server);
            assertThat(left).hasSize(1);
            // the stored payloads only: the listing's own fields (a receivedAt of 00:03:32.555Z) may hold any digits
            String payloads = left.findValues("event").toString();
            assertThat(payloads)
                    .contains("Olaf@Example.com")
                    .doesNotContainIgnoringCase("ann@example.com")
                    .doesNotContain("555");
        }
    }

    private static JsonNode quarantined(TestServer server) {
        return server.admin("/v1/quarantine?limit=100").json().path("events");
    }
}
