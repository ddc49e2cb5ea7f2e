package dev.tandem.decide;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A decision decrypts the personal traits its placement's rules read, and only those: a rule on
 * {@code traits.email} sees the address as it was sent, a placement that reads no personal trait
 * decides as before, and once a customer's erasure has completed, decide no longer knows them.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class DecidePersonalTraitsTest {
    private static final String WORKSPACE = """
            server:
              decideRatePerSecond: 100000
              decideBurst: 100000
            placements:
              - key: welcome
                owners: [growth]
                rules:
                  - name: staff
                    when: traits.email.endsWith("@tandem.example")
                    variant: staff
                    content: {headline: Hello colleague}
                  - name: named
                    when: has(traits.name) && traits.name == "Dana Rowe"
                    variant: named
                    content: {headline: Hello Dana}
                  - name: pro
                    when: traits.plan == "pro"
                    variant: pro
                    content: {headline: Pro}
                default: {variant: generic, content: {headline: Hello}}
              - key: plans
                owners: [growth]
                rules:
                  - when: traits.plan == "pro"
                    variant: pro
                    content: {headline: Pro}
                default: {variant: generic, content: {headline: Hello}}
            """;

    private final StoreKind store;

    @TempDir
    Path dir;

    DecidePersonalTraitsTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void rulesOnPersonalTraitsSeeThemDecryptedAndAnErasedCustomerIsForgotten() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            identify(server, "u-staff", "{\"email\": \"sam@tandem.example\", \"plan\": \"basic\"}");
            identify(server, "u-dana", "{\"email\": \"dana@example.com\", \"name\": \"Dana Rowe\", \"plan\": \"pro\"}");
            identify(server, "u-eli", "{\"email\": \"eli@example.com\", \"plan\": \"pro\"}");
            server.awaitProcessed();
            assertThat(server.profile("user_id:u-staff", "traits")
                            .json()
                            .at("/traits/email")
                            .asText())
                    .isEqualTo("sam@tandem.example");

            JsonNode staff = explain(server, "welcome", "u-staff");
            assertThat(staff.path("variant").asText()).isEqualTo("staff");
            JsonNode dana = explain(server, "welcome", "u-dana");
            assertThat(dana.path("variant").asText()).isEqualTo("named");
            assertThat(reasons(dana))
                    .as("the email rule read the decrypted address and did not match")
                    .noneMatch(r -> r.contains("could not be evaluated"))
                    .contains("1 rule before it did not match");
            JsonNode eli = explain(server, "welcome", "u-eli");
            assertThat(eli.path("variant").asText()).isEqualTo("pro");
            assertThat(reasons(eli)).noneMatch(r -> r.contains("could not be evaluated"));
            assertThat(explain(server, "plans", "u-dana").path("variant").asText())
                    .isEqualTo("pro");

            String request = UUID.randomUUID().toString();
            Http.Response erasure = server.adminSend("POST", "/opendsr/requests", """
                    {"subject_request_id": "%s", "subject_request_type": "erasure",
                     "subject_identities": [{"identity_type": "controller_customer_id", "identity_value": "u-staff", "identity_format": "raw"}]}""".formatted(request));
            assertThat(erasure.status()).as(erasure.body()).isEqualTo(201);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> server.admin("/opendsr/requests/" + request)
                            .json()
                            .path("request_status")
                            .asText()
                            .equals("completed"));

            JsonNode forgotten = explain(server, "welcome", "u-staff");
            assertThat(forgotten.path("variant").asText()).isEqualTo("generic");
            assertThat(forgotten.path("profile_id").isNull()).isTrue();
            assertThat(explain(server, "welcome", "u-dana").path("variant").asText())
                    .as("the others are untouched")
                    .isEqualTo("named");
        }
    }

    private static void identify(TestServer server, String userId, String traits) {
        assertThat(server.track("/v1/identify", "{\"userId\": \"" + userId + "\", \"traits\": " + traits + "}")
                        .status())
                .isEqualTo(200);
    }

    private static JsonNode explain(TestServer server, String placement, String userId) {
        Http.Response r = server.http()
                .post(
                        "/v1/decide",
                        "{\"placement\": \"" + placement + "\", \"userId\": \"" + userId + "\"}",
                        "Authorization",
                        "Bearer " + TestServer.ADMIN_TOKEN,
                        "Content-Type",
                        "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> reasons(JsonNode decision) {
        List<String> reasons = new ArrayList<>();
        decision.path("reasons").forEach(r -> reasons.add(r.asText()));
        return reasons;
    }
}
