package dev.tandem.decide;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decide with the public write key, through HTTP: it tells the variant and its content and nothing
 * else, a known user only with a token the site's backend signed, and not faster than the rate;
 * reasons and the profile id are for decide:explain tokens.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class DecideSafetyTest {
    private static final String WORKSPACE = """
            placements:
              - key: offer
                owners: [marketing]
                rules:
                  - name: high earners
                    when: has(traits.income) && traits.income > 100000
                    variant: premium
                    content: {headline: Private banking}
                default: {variant: standard, content: {headline: Open an account}}
            """;

    private final StoreKind store;

    @TempDir
    Path dir;

    DecideSafetyTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aWriteKeyGetsTheVariantForItsOwnVisitorOrASignedUserOnly() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"rich\", \"anonymousId\": \"browser-1\", \"traits\": {\"income\": 250000}}");
            server.awaitProcessed();

            JsonNode own = decide(server, "{\"placement\": \"offer\", \"anonymousId\": \"browser-1\"}")
                    .json();
            assertThat(fields(own)).containsExactly("placement", "variant", "content");
            assertThat(own.path("variant").asText()).isEqualTo("premium");
            assertThat(own.toString())
                    .doesNotContain("profile")
                    .doesNotContain("reasons")
                    .doesNotContain("income");

            assertError(decide(server, "{\"placement\": \"offer\", \"userId\": \"rich\"}"), 401, "user_token_required");
            assertError(
                    decide(server, "{\"placement\": \"offer\", \"anonymousId\": \"a\\u0000b\"}"),
                    400,
                    "invalid_anonymousId");
            assertError(
                    decide(server, "{\"placement\": \"offer\", \"anonymousId\": \"\\ud800\"}"),
                    400,
                    "invalid_anonymousId");
            assertError(
                    decide(server, "{\"placement\": \"offer\", \"userId\": \"rich\", \"anonymousId\": \"mine\"}"),
                    401,
                    "user_token_required");
            assertError(
                    decide(
                            server,
                            "{\"placement\": \"offer\", \"userToken\": \"" + mint("rich", 600, "dks_guessed") + "\"}"),
                    401,
                    "invalid_user_token");

            String token = userToken(server, "rich", 600);
            JsonNode signed = decide(
                            server,
                            "{\"placement\": \"offer\", \"userId\": \"rich\", \"userToken\": \"" + token + "\"}")
                    .json();
            assertThat(signed.path("variant").asText()).isEqualTo("premium");
            assertThat(fields(signed)).containsExactly("placement", "variant", "content");
            assertThat(decide(server, "{\"placement\": \"offer\", \"userToken\": \"" + token + "\"}")
                            .json()
                            .path("variant")
                            .asText())
                    .as("the token alone names the user")
                    .isEqualTo("premium");

            assertError(
                    decide(
                            server,
                            "{\"placement\": \"offer\", \"userId\": \"rich\", \"userToken\": \""
                                    + userToken(server, "rich", -5) + "\"}"),
                    401,
                    "expired_user_token");
            String otherPayload = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            ("{\"sub\":\"someone-else\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}")
                                    .getBytes(StandardCharsets.UTF_8));
            String tampered = otherPayload + token.substring(token.indexOf('.'));
            assertError(
                    decide(server, "{\"placement\": \"offer\", \"userToken\": \"" + tampered + "\"}"),
                    401,
                    "invalid_user_token");
            assertError(
                    decide(
                            server,
                            "{\"placement\": \"offer\", \"userId\": \"someone-else\", \"userToken\": \"" + token
                                    + "\"}"),
                    403,
                    "user_token_mismatch");

            // rotating the secret invalidates what was signed with the old one
            assertThat(server.adminSend("POST", "/v1/admin/sources/test/decide-secret", null)
                            .status())
                    .isEqualTo(201);
            assertError(
                    decide(server, "{\"placement\": \"offer\", \"userToken\": \"" + token + "\"}"),
                    401,
                    "invalid_user_token");
            assertThat(decide(
                                    server,
                                    "{\"placement\": \"offer\", \"userToken\": \"" + userToken(server, "rich", 600)
                                            + "\"}")
                            .status())
                    .isEqualTo(200);
            assertError(server.admin("/v1/admin/sources/nope/decide-secret"), 404, "source_not_found");
            assertError(server.http().get("/v1/admin/sources/test/decide-secret"), 401, "missing_token");
        }
    }

    @Test
    void reasonsAndTheProfileIdAreForExplainTokens() {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            server.track("/v1/identify", "{\"userId\": \"rich\", \"traits\": {\"income\": 250000}}");
            server.awaitProcessed();
            String explainer = token(server, "support-desk", "[\"decide:explain\"]");
            String reader = token(server, "reader", "[\"profiles:read\"]");

            Http.Response explained = explain(server, explainer, "{\"placement\": \"offer\", \"userId\": \"rich\"}");
            assertThat(explained.status()).as(explained.body()).isEqualTo(200);
            assertThat(explained.json().path("profile_id").asText()).isNotEmpty();
            List<String> reasons = new ArrayList<>();
            explained.json().path("reasons").forEach(r -> reasons.add(r.asText()));
            assertThat(reasons).anyMatch(r -> r.startsWith("rule 1 'high earners' matched"));

            assertError(
                    explain(server, reader, "{\"placement\": \"offer\", \"userId\": \"rich\"}"), 403, "missing_scope");
            assertError(
                    explain(server, "tdk_not_a_token", "{\"placement\": \"offer\", \"userId\": \"rich\"}"),
                    401,
                    "invalid_token");
        }
    }

    @Test
    void aWriteKeyIsRateLimited() {
        try (TestServer server = TestServer.withWorkspace(
                store, dir, "server:\n  decideRatePerSecond: 1\n  decideBurst: 5\n" + WORKSPACE)) {
            Http.Response limited = null;
            int answered = 0;
            for (int i = 0; i < 20 && limited == null; i++) {
                Http.Response r = decide(server, "{\"placement\": \"offer\", \"anonymousId\": \"a-" + i + "\"}");
                if (r.status() == 429) {
                    limited = r;
                } else {
                    assertThat(r.status()).isEqualTo(200);
                    answered++;
                }
            }
            assertThat(limited).as("the 20 calls in a row met the limit").isNotNull();
            assertThat(answered).as("the burst of 5, and maybe one refilled").isBetween(5, 7);
            assertError(limited, 429, "rate_limited");
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
            assertThat(explain(server, TestServer.ADMIN_TOKEN, "{\"placement\": \"offer\", \"anonymousId\": \"a-0\"}")
                            .status())
                    .as("API tokens are not limited by the write key's bucket")
                    .isEqualTo(200);
        }
    }

    /** A user token as a site's backend signs it with the test source's decide secret (created on first use). */
    static String userToken(TestServer server, String userId, long secondsValid) {
        Http.Response shown = server.admin("/v1/admin/sources/test/decide-secret");
        if (shown.status() == 404) {
            shown = server.adminSend("POST", "/v1/admin/sources/test/decide-secret", null);
        }
        return mint(userId, secondsValid, shown.json().path("secret").asText());
    }

    /** The few lines docs/decide.md shows a backend. */
    private static String mint(String userId, long secondsValid, String secret) {
        try {
            String payload = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(("{\"sub\":\"" + userId + "\",\"exp\":"
                                    + (System.currentTimeMillis() / 1000 + secondsValid) + "}")
                            .getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return payload + "."
                    + Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static Http.Response decide(TestServer server, String body) {
        return server.track("/v1/decide", body);
    }

    private static Http.Response explain(TestServer server, String token, String body) {
        return server.http()
                .post("/v1/decide", body, "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    private static String token(TestServer server, String name, String scopes) {
        return server.adminSend("POST", "/v1/admin/tokens", "{\"name\": \"" + name + "\", \"scopes\": " + scopes + "}")
                .json()
                .path("token")
                .asText();
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
