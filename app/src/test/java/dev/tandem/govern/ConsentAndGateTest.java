package dev.tandem.govern;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.ApiAssertions;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Consent captured from events and honoured by the policy gate on the next decision; reads masked by purpose. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ConsentAndGateTest {
    private static final String ADS = """
            {"flow": {"kind": "destination", "name": "meta-ads", "purposes": ["advertising"], "riskTier": "high"},
             "subject": "user_id:u-1",
             "payload": {"type": "identify", "userId": "u-1",
               "traits": {"email": " Ann@Example.com ", "phone": "+1 (415) 555-0100", "first_name": "Ann", "plan": "pro",
                          "password": "never"},
               "context": {"ip": "203.0.113.9"}}}""";

    private final StoreKind store;

    @TempDir
    Path dir;

    ConsentAndGateTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void withdrawingAdvertisingConsentDeniesTheNextDelivery() throws Exception {
        try (TestServer server = TestServer.start(store, dir)) {
            server.track("/v1/identify", """
                    {"userId": "u-1", "traits": {"email": "ann@example.com", "plan": "pro"},
                     "context": {"consent": {"categoryPreferences": {"Advertising": true, "Analytics": true}}}}""");
            server.awaitProcessed();
            JsonNode consent = server.profile("user_id:u-1", "consent").json().path("purposes");
            assertThat(consent.path("advertising").path("allowed").asBoolean()).isTrue();
            assertThat(consent.path("advertising").path("signal").asText()).isEqualTo("categoryPreferences");
            assertThat(consent.path("personalization").path("allowed").asBoolean())
                    .as("consent basis, nothing stated")
                    .isFalse();
            assertThat(consent.path("analytics").path("lawful_basis").asText()).isEqualTo("legitimate_interest");

            JsonNode allowed =
                    server.adminSend("POST", "/v1/admin/policy/check", ADS).json();
            assertThat(allowed.path("decision").asText()).isEqualTo("allow_with");
            JsonNode traits = allowed.path("payload").path("traits");
            assertThat(traits.path("email").asText()).isEqualTo(sha256("ann@example.com"));
            assertThat(traits.path("phone").asText()).isEqualTo(sha256("+14155550100"));
            assertThat(traits.has("first_name")).isFalse();
            assertThat(traits.has("password")).isFalse();
            assertThat(traits.path("plan").asText()).isEqualTo("pro");
            assertThat(allowed.path("payload").path("context").path("ip").asText())
                    .isEqualTo("203.0.113.0");
            assertThat(rules(allowed))
                    .contains(
                            "hash-contact-for-ads",
                            "no-other-personal-data-for-ads",
                            "restricted-never-leaves",
                            "truncate-ip-outside-tandem");
            allowed.path("reasons")
                    .forEach(r -> assertThat(r.path("reason").asText()).isNotBlank());

            server.track("/v1/track", """
                    {"userId": "u-1", "event": "Consent Updated",
                     "context": {"consent": {"categoryPreferences": {"Advertising": false}}}}""");
            server.awaitProcessed();
            JsonNode denied =
                    server.adminSend("POST", "/v1/admin/policy/check", ADS).json();
            assertThat(denied.path("decision").asText()).isEqualTo("deny");
            assertThat(rules(denied)).containsExactly("consent-for-every-purpose");
            assertThat(denied.path("reasons").get(0).path("reason").asText()).contains("not consented");
            assertThat(denied.path("payload").isNull()).isTrue();

            JsonNode history = server.profile("user_id:u-1", "consent").json().path("history");
            List<String> changes = new ArrayList<>();
            history.forEach(h -> changes.add(
                    h.path("purpose").asText() + "=" + h.path("granted").asBoolean()));
            assertThat(changes).containsSubsequence("advertising=true", "advertising=false");

            JsonNode log = server.admin("/v1/admin/policy/log").json().path("decisions");
            assertThat(log.get(0).path("decision").asText()).isEqualTo("deny");
            assertThat(log.toString()).doesNotContain("ann@example.com");
        }
    }

    @Test
    void globalPrivacyControlAndTcfStringsAreHonoured() {
        try (TestServer server = TestServer.start(store, dir)) {
            server.track("/v1/identify", """
                    {"userId": "u-2", "traits": {"plan": "basic"},
                     "context": {"consent": {"categoryPreferences": {"Advertising": true}}}}""", "Sec-GPC", "1");
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"u-3\", \"context\": {\"consent\": {\"tcfString\": \"" + tcf(1, 3, 4, 8) + "\"}}}");
            server.awaitProcessed();
            JsonNode gpc = server.profile("user_id:u-2", "consent").json().path("purposes");
            assertThat(gpc.path("advertising").path("allowed").asBoolean())
                    .as("GPC wins over the banner in the same event")
                    .isFalse();
            assertThat(gpc.path("advertising").path("signal").asText()).isEqualTo("gpc");
            assertThat(gpc.path("sales").path("allowed").asBoolean()).isFalse();
            JsonNode sale =
                    server.adminSend("POST", "/v1/admin/policy/check", """
                    {"flow": {"kind": "destination", "name": "data-broker", "purposes": ["sales"]}, "subject": "user_id:u-2"}""").json();
            assertThat(sale.path("decision").asText()).isEqualTo("deny");
            assertThat(rules(sale)).contains("gpc-opts-out-of-sale-and-ads");
            JsonNode analytics =
                    server.adminSend("POST", "/v1/admin/policy/check", """
                    {"flow": {"kind": "destination", "name": "warehouse", "purposes": ["analytics"]}, "subject": "user_id:u-2"}""").json();
            assertThat(analytics.path("decision").asText()).isEqualTo("allow");

            JsonNode tcf = server.profile("user_id:u-3", "consent").json().path("purposes");
            assertThat(tcf.path("advertising").path("allowed").asBoolean()).isTrue();
            assertThat(tcf.path("advertising").path("signal").asText()).isEqualTo("tcf");
            assertThat(tcf.path("personalization").path("allowed").asBoolean()).isFalse();
            assertThat(tcf.path("analytics").path("stated").asBoolean()).isTrue();
        }
    }

    @Test
    void callersWithoutAPurposeSeeMaskedPersonalData() {
        try (TestServer server = TestServer.start(store, dir)) {
            server.track("/v1/identify", """
                    {"userId": "u-4", "traits": {"email": "cleo@example.com", "phone": "+44 20 7946 0958", "name": "Cleo Park", "plan": "pro"}}""");
            server.awaitProcessed();
            String blind = token(server, "dashboard", "{\"scopes\": [\"profiles:read\", \"audiences:read\"]}");
            String analyst = token(
                    server,
                    "bi",
                    "{\"scopes\": [\"profiles:read\"], \"role\": \"analyst\", \"purposes\": [\"analytics\"]}");
            String marketer = token(
                    server,
                    "site",
                    "{\"scopes\": [\"profiles:read\"], \"role\": \"marketer\", \"purposes\": [\"personalization\"]}");

            JsonNode masked = read(server, blind, "traits").path("traits");
            assertThat(masked.path("email").asText()).isEqualTo("c***@example.com");
            assertThat(masked.path("phone").asText()).isEqualTo("+***");
            assertThat(masked.path("name").asText()).isEqualTo("C***");
            assertThat(masked.path("plan").asText()).isEqualTo("pro");
            assertThat(read(server, analyst, "traits")
                            .path("traits")
                            .path("email")
                            .asText())
                    .isEqualTo("c***@example.com");
            assertThat(read(server, marketer, "traits")
                            .path("traits")
                            .path("email")
                            .asText())
                    .isEqualTo("cleo@example.com");

            List<String> ids = new ArrayList<>();
            read(server, blind, "external_ids")
                    .path("data")
                    .forEach(d ->
                            ids.add(d.path("type").asText() + ":" + d.path("id").asText()));
            assertThat(ids).contains("user_id:u-4", "email:c***@example.com").doesNotContain("email:cleo@example.com");
            String events = read(server, blind, "events").toString();
            assertThat(events)
                    .contains("c***@example.com")
                    .doesNotContain("cleo@example.com")
                    .doesNotContain("Cleo Park");
            assertThat(read(server, marketer, "events").toString()).contains("cleo@example.com");

            assertThat(server.adminSend(
                                    "POST",
                                    "/v1/admin/audiences",
                                    "{\"key\": \"pros\", \"name\": \"Pros\", \"owners\": [\"marketing\"], \"condition\": \"traits.plan == 'pro'\"}")
                            .status())
                    .isEqualTo(201);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> server.admin("/v1/audiences/pros")
                            .json()
                            .path("status")
                            .asText()
                            .equals("ready"));
            String members = server.http()
                    .get("/v1/audiences/pros/members", "Authorization", "Bearer " + blind)
                    .body();
            assertThat(members).contains("c***@example.com").doesNotContain("cleo@example.com");
            String csv = server.http()
                    .get("/v1/audiences/pros/members?format=csv", "Authorization", "Bearer " + blind)
                    .body();
            assertThat(csv).contains("c***@example.com").doesNotContain("cleo@example.com");
            String preview = server.http()
                    .post(
                            "/v1/audiences/preview",
                            "{\"condition\": \"traits.plan == 'pro'\"}",
                            "Authorization",
                            "Bearer " + blind,
                            "Content-Type",
                            "application/json")
                    .body();
            // one match is fewer than 10: a masked caller gets neither the count nor the sample (it got the masked
            // sample before)
            assertThat(preview)
                    .contains("\"fewer_than\":10")
                    .doesNotContain("c***@example.com")
                    .doesNotContain("cleo@example.com");
            assertThat(server.admin("/v1/audiences/pros/members").body()).contains("cleo@example.com");

            ApiAssertions.assertError(
                    server.adminSend(
                            "POST",
                            "/v1/admin/tokens",
                            "{\"name\": \"x\", \"scopes\": [\"profiles:read\"], \"purposes\": [\"fun\"]}"),
                    400,
                    "invalid_purpose");
            ApiAssertions.assertError(
                    server.adminSend(
                            "POST",
                            "/v1/admin/tokens",
                            "{\"name\": \"y\", \"scopes\": [\"profiles:read\"], \"role\": \"boss\"}"),
                    400,
                    "invalid_role");
        }
    }

    @Test
    void badPolicyChecksAreRefusedWithTheField() {
        try (TestServer server = TestServer.start(store, dir)) {
            ApiAssertions.assertError(
                    server.adminSend("POST", "/v1/admin/policy/check", "{\"flow\": {\"kind\": \"email\"}}"),
                    400,
                    "invalid_flow");
            ApiAssertions.assertError(
                    server.adminSend(
                            "POST", "/v1/admin/policy/check", "{\"flow\": {\"kind\": \"destination\"}, \"x\": 1}"),
                    400,
                    "unknown_field");
            ApiAssertions.assertError(
                    server.adminSend(
                            "POST",
                            "/v1/admin/policy/check",
                            "{\"flow\": {\"kind\": \"destination\", \"purposes\": [\"analytics\"]}, \"subject\": \"email:nobody@example.com\"}"),
                    404,
                    "profile_not_found");
            JsonNode noPurpose = server.adminSend(
                            "POST", "/v1/admin/policy/check", "{\"flow\": {\"kind\": \"export\"}}")
                    .json();
            assertThat(rules(noPurpose)).containsExactly("destinations-declare-a-purpose");
            assertThat(server.admin("/v1/admin/policy").json().path("rules").size())
                    .isEqualTo(10);
        }
    }

    private static String token(TestServer server, String name, String grant) {
        JsonNode created = server.adminSend(
                        "POST", "/v1/admin/tokens", grant.replace("{", "{\"name\": \"" + name + "\", "))
                .json();
        return created.path("token").asText();
    }

    private static JsonNode read(TestServer server, String token, String what) {
        return server.http()
                .get("/v1/profiles/user_id:u-4/" + what, "Authorization", "Bearer " + token)
                .json();
    }

    private static List<String> rules(JsonNode decision) {
        List<String> out = new ArrayList<>();
        decision.path("reasons").forEach(r -> out.add(r.path("rule").asText()));
        return out;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A TCF v2 core string with consent for the given purposes: version 2, zeros up to bit 152, then the 24 purpose bits. */
    static String tcf(int... purposes) {
        boolean[] bits = new boolean[216];
        bits[4] = true; // version 2 in 6 bits: 000010
        for (int p : purposes) {
            bits[152 + p - 1] = true;
        }
        byte[] bytes = new byte[bits.length / 8];
        for (int i = 0; i < bits.length; i++) {
            if (bits[i]) {
                bytes[i / 8] |= (byte) (1 << (7 - i % 8));
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
