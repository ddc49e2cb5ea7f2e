package dev.tandem.protect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Personal traits stay right while the processor keeps them encrypted in memory: a merge carries
 * them to the kept profile, and an audience on a personal trait created later sees them in real time.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class EncryptedTraitsTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    EncryptedTraitsTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void mergesAndAudiencesSeeEncryptedTraits() {
        try (TestServer server = TestServer.start(store, dir)) {
            server.track("/v1/identify", "{\"userId\": \"u-7\", \"traits\": {\"plan\": \"pro\"}}");
            server.track(
                    "/v1/identify",
                    "{\"anonymousId\": \"a-7\", \"traits\": {\"email\": \"fay@example.com\", \"name\": \"Fay Moss\"}}");
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"u-8\", \"traits\": {\"email\": \"gus@example.org\", \"plan\": \"pro\"}}");
            server.awaitProcessed();
            server.restart(); // the documents are now only on disk, with their personal traits encrypted

            server.track("/v1/track", "{\"userId\": \"u-7\", \"anonymousId\": \"a-7\", \"event\": \"Signed In\"}");
            server.awaitProcessed();
            assertThat(server.profile("user_id:u-7", "merges").json().path("data"))
                    .as("the newer anonymous profile joined u-7's")
                    .hasSize(1);
            JsonNode traits = server.profile("user_id:u-7", "traits").json().path("traits");
            assertThat(traits.path("email").asText()).isEqualTo("fay@example.com");
            assertThat(traits.path("name").asText()).isEqualTo("Fay Moss");
            assertThat(traits.path("plan").asText()).isEqualTo("pro");

            server.restart();
            assertThat(server.adminSend("POST", "/v1/admin/audiences", """
                    {"key": "example_com", "name": "example.com", "owners": ["it"], "condition": "traits.email.endsWith('@example.com')"}""").status())
                    .isEqualTo(201);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> server.admin("/v1/audiences/example_com")
                            .json()
                            .path("status")
                            .asText()
                            .equals("ready"));
            assertThat(server.admin("/v1/audiences/example_com")
                            .json()
                            .path("size")
                            .asInt())
                    .isEqualTo(1);
            server.track("/v1/track", "{\"userId\": \"u-7\", \"event\": \"Order Completed\"}");
            server.track("/v1/track", "{\"userId\": \"u-8\", \"event\": \"Order Completed\"}");
            server.awaitProcessed();
            assertThat(server.admin("/v1/audiences/example_com")
                            .json()
                            .path("size")
                            .asInt())
                    .as("still a member after an event")
                    .isEqualTo(1);
            assertThat(server.admin("/v1/audiences/example_com/events?limit=100")
                            .json()
                            .path("data")
                            .toString())
                    .contains("Audience Entered")
                    .doesNotContain("Audience Exited");
        }
    }
}
