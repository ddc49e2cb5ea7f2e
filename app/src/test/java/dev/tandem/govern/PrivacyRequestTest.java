package dev.tandem.govern;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.ApiAssertions;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Access and erasure requests shaped like OpenDSR, carried out end to end. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class PrivacyRequestTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    PrivacyRequestTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void accessExportsEverythingAndErasureForgetsTheSubject() throws Exception {
        try (TestServer server = TestServer.start(store, dir)) {
            server.track("/v1/page", "{\"anonymousId\": \"anon-erin-77\", \"name\": \"Pricing\"}");
            server.track("/v1/identify", """
                    {"userId": "u-erin", "anonymousId": "anon-erin-77", "traits": {"email": "Erin.Quist@example.com", "phone": "+1 415 555 0199",
                     "name": "Erin Quist", "plan": "pro"}, "context": {"consent": {"categoryPreferences": {"Advertising": true}}}}""");
            server.track(
                    "/v1/track",
                    "{\"userId\": \"u-erin\", \"event\": \"Order Completed\", \"properties\": {\"revenue\": 42}}");
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"u-other\", \"traits\": {\"email\": \"olaf@example.com\", \"plan\": \"olaf-plan-77\"}}");
            server.awaitProcessed();

            JsonNode discovery = server.admin("/opendsr/discovery").json();
            assertThat(discovery.path("supported_subject_request_types").toString())
                    .contains("access", "erasure");
            assertThat(discovery.path("supported_identities").toString())
                    .contains("\"identity_type\":\"email\"", "phone_number");

            String access = UUID.randomUUID().toString();
            JsonNode accepted = submit(server, access, "access", "email", "erin.quist@EXAMPLE.com");
            assertThat(accepted.path("request_status").asText()).isEqualTo("pending");
            Instant received = Instant.parse(accepted.path("received_time").asText());
            assertThat(Instant.parse(accepted.path("expected_completion_time").asText()))
                    .isEqualTo(received.plus(Duration.ofDays(30)));
            JsonNode done = awaitCompleted(server, access);
            JsonNode export =
                    server.admin("/opendsr/requests/" + access + "/export").json();
            assertThat(done.path("results_url").asText()).endsWith("/opendsr/requests/" + access + "/export");
            JsonNode profile = export.path("profiles").get(0);
            assertThat(profile.path("traits").path("name").asText()).isEqualTo("Erin Quist");
            assertThat(profile.path("events")).hasSize(3);
            assertThat(profile.path("identifiers").toString())
                    .contains("anon-erin-77", "erin.quist@example.com", "+14155550199");
            assertThat(profile.path("consent").path("advertising").asBoolean()).isTrue();
            assertThat(profile.path("consent_history")).hasSize(1);

            String erasure = UUID.randomUUID().toString();
            submit(server, erasure, "erasure", "phone_number", "(415) 555-0199");
            JsonNode erased = awaitCompleted(server, erasure);
            assertThat(erased.path("completed_time").asText()).isNotEmpty();
            assertThat(erased.path("result").path("events_deleted").asInt()).isEqualTo(3);
            assertThat(erased.path("result").path("identifiers_suppressed").asInt())
                    .isEqualTo(4);
            for (String id : new String[] {
                "email:erin.quist@example.com", "user_id:u-erin", "anonymous_id:anon-erin-77", "phone:+14155550199"
            }) {
                ApiAssertions.assertError(server.profile(id, "traits"), 404, "profile_not_found");
            }
            assertThat(server.profile("user_id:u-other", "traits").status()).isEqualTo(200);

            JsonNode later = server.track("/v1/track", "{\"userId\": \"u-erin\", \"event\": \"Came Back\"}")
                    .json();
            assertThat(later.path("success").asBoolean()).isTrue();
            server.track(
                    "/v1/identify",
                    "{\"anonymousId\": \"new-device\", \"traits\": {\"email\": \"ERIN.QUIST@example.com\"}}");
            server.track("/v1/identify", "{\"userId\": \"u-third\", \"traits\": {\"plan\": \"basic\"}}");
            server.awaitProcessed();
            assertThat(server.events().toString())
                    .doesNotContain("u-erin")
                    .doesNotContain("new-device")
                    .contains("u-third");
            ApiAssertions.assertError(server.profile("user_id:u-erin", "traits"), 404, "profile_not_found");
            ApiAssertions.assertError(server.profile("anonymous_id:new-device", "traits"), 404, "profile_not_found");
            ApiAssertions.assertError(
                    server.admin("/opendsr/requests/" + erasure + "/export"), 409, "not_an_access_request");
        }
        if (store == StoreKind.SQLITE) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    for (String gone : new String[] {
                        "erin.quist@example.com", "Erin.Quist@example.com", "+14155550199", "415 555 0199", "Erin Quist"
                    }) {
                        assertThat(bytes)
                                .as("%s must not hold %s", file.getFileName(), gone)
                                .doesNotContain(gone);
                    }
                    if (file.getFileName().toString().equals("inbox.db")) {
                        assertThat(bytes)
                                .as(
                                        "control: the other customer is still there (their email is sealed, their plan is not)")
                                .contains("olaf-plan-77");
                    }
                }
            }
        }
    }

    @Test
    void badRequestsAreRefusedWithTheField() {
        try (TestServer server = TestServer.start(store, dir)) {
            String id = UUID.randomUUID().toString();
            ApiAssertions.assertError(
                    post(server, "{\"subject_request_id\": \"nope\", \"subject_request_type\": \"erasure\"}"),
                    400,
                    "invalid_request_id");
            ApiAssertions.assertError(
                    post(server, "{\"subject_request_id\": \"" + id + "\", \"subject_request_type\": \"delete\"}"),
                    400,
                    "invalid_request_type");
            ApiAssertions.assertError(
                    post(server, "{\"subject_request_id\": \"" + id + "\", \"subject_request_type\": \"erasure\"}"),
                    400,
                    "missing_identities");
            ApiAssertions.assertError(
                    post(
                            server,
                            "{\"subject_request_id\": \"" + id + "\", \"subject_request_type\": \"erasure\", "
                                    + "\"subject_identities\": [{\"identity_type\": \"email\", \"identity_value\": \"x\", \"identity_format\": \"sha256\"}]}"),
                    400,
                    "unsupported_identity_format");
            ApiAssertions.assertError(
                    post(
                            server,
                            "{\"subject_request_id\": \"" + id + "\", \"subject_request_type\": \"erasure\", "
                                    + "\"subject_identities\": [{\"identity_type\": \"fax\", \"identity_value\": \"1\"}]}"),
                    400,
                    "unsupported_identity_type");
            ApiAssertions.assertError(
                    post(server, "{\"subject_request_id\": \"" + id + "\", \"bogus\": 1}"), 400, "unknown_field");
            ApiAssertions.assertError(server.admin("/opendsr/requests/" + id), 404, "request_not_found");
            submit(server, id, "erasure", "email", "nobody@example.com");
            ApiAssertions.assertError(
                    post(
                            server,
                            "{\"subject_request_id\": \"" + id + "\", \"subject_request_type\": \"erasure\", "
                                    + "\"subject_identities\": [{\"identity_type\": \"email\", \"identity_value\": \"a@b.co\"}]}"),
                    409,
                    "request_exists");
            assertThat(awaitCompleted(server, id)
                            .path("result")
                            .path("profiles_deleted")
                            .asInt())
                    .isZero();
            ApiAssertions.assertError(server.http().get("/opendsr/discovery"), 401, "missing_token");
        }
    }

    private static Http.Response post(TestServer server, String json) {
        return server.adminSend("POST", "/opendsr/requests", json);
    }

    private static JsonNode submit(TestServer server, String id, String type, String identityType, String value) {
        var response = post(server, """
                {"subject_request_id": "%s", "subject_request_type": "%s", "submitted_time": "2026-11-20T10:00:00Z", "api_version": "1.0",
                 "subject_identities": [{"identity_type": "%s", "identity_value": "%s", "identity_format": "raw"}]}""".formatted(id, type, identityType, value));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static JsonNode awaitCompleted(TestServer server, String id) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> server.admin("/opendsr/requests/" + id).json(),
                        s -> s.path("request_status").asText().equals("completed"));
    }
}
