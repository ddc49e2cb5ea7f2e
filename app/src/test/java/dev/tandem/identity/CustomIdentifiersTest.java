package dev.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identifier types declared in tandem.yaml, context.externalIds, priority and a custom blocklist, through HTTP. */
class CustomIdentifiersTest {
    @TempDir
    Path dir;

    @Test
    void customTypesAndExternalIdsJoinAndRankAsDeclared() {
        String yaml = """
                identity:
                  phoneRegion: GB
                  types:
                    - name: loyalty_id
                      paths: [traits.loyaltyId, context.traits.loyaltyId]
                  priority: [user_id, loyalty_id]
                  limits:
                    loyalty_id: 1
                  blocked:
                    values: [guest]
                """;
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, yaml)) {
            String batch = "{\"batch\":["
                    + "{\"type\":\"identify\",\"userId\":\"u-1\",\"traits\":{\"loyaltyId\":\" L-77 \",\"phone\":\"020 7946 0018\"}},"
                    + "{\"type\":\"track\",\"event\":\"Shop Visit\",\"anonymousId\":\"kiosk-1\",\"context\":{\"traits\":{\"loyaltyId\":\"L-77\"},"
                    + "\"externalIds\":[{\"id\":\"GA1.2.3\",\"type\":\"ga_client_id\",\"collection\":\"users\",\"encoding\":\"none\"}]}},"
                    + "{\"type\":\"track\",\"event\":\"Shop Visit\",\"anonymousId\":\"kiosk-2\",\"context\":{\"traits\":{\"loyaltyId\":\"L-88\"}}},"
                    + "{\"type\":\"identify\",\"userId\":\"u-2\",\"anonymousId\":\"kiosk-3\",\"traits\":{\"loyaltyId\":\"L-88\"}},"
                    + "{\"type\":\"identify\",\"userId\":\"guest\",\"anonymousId\":\"kiosk-4\",\"traits\":{\"loyaltyId\":\"L-77\"}}]}";
            assertThat(server.track("/v1/batch", batch).status()).isEqualTo(200);
            server.awaitProcessed();

            String u1 = server.profile("user_id:u-1", "traits")
                    .json()
                    .path("profile_id")
                    .asText();
            assertThat(server.profile("loyalty_id:L-77", "traits")
                            .json()
                            .path("profile_id")
                            .asText())
                    .isEqualTo(u1);
            assertThat(server.profile("ga_client_id:GA1.2.3", "traits")
                            .json()
                            .path("profile_id")
                            .asText())
                    .isEqualTo(u1);
            assertThat(server.profile("anonymous_id:kiosk-1", "traits")
                            .json()
                            .path("profile_id")
                            .asText())
                    .isEqualTo(u1);
            assertThat(server.profile("phone:+442079460018", "traits")
                            .json()
                            .path("profile_id")
                            .asText())
                    .as("GB region")
                    .isEqualTo(u1);
            assertThat(server.profile("anonymous_id:kiosk-4", "traits")
                            .json()
                            .path("profile_id")
                            .asText())
                    .as("'guest' is blocked, so the loyalty id joins kiosk-4 to u-1")
                    .isEqualTo(u1);
            assertThat(server.profile("user_id:guest", "traits").status()).isEqualTo(404);

            String u2 = server.profile("user_id:u-2", "traits")
                    .json()
                    .path("profile_id")
                    .asText();
            assertThat(u2).isNotEqualTo(u1);
            assertThat(server.profile("anonymous_id:kiosk-2", "traits")
                            .json()
                            .path("profile_id")
                            .asText())
                    .isEqualTo(u2);
        }
    }
}
