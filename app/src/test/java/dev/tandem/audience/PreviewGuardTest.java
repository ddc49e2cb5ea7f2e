package dev.tandem.audience;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Conditions as an attack surface, through HTTP: a comprehension bomb is refused wherever it is
 * saved and cannot tie up a preview; a caller who sees personal data masked cannot ask about it
 * nor count small groups; member exports cannot carry spreadsheet formulas.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class PreviewGuardTest {
    /** 8 nested comprehensions over 10 elements: 10^8 steps for every profile. */
    private static final String BOMB = bomb(8);

    private final StoreKind store;

    @TempDir
    Path dir;

    PreviewGuardTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aComprehensionBombIsRefusedWhenSavedAndBoundedInPreview() throws Exception {
        try (TestServer server = TestServer.start(store, dir)) {
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"u-1\", \"traits\": {\"plan\": \"pro\", \"tags\": " + tags(200) + "}}");
            server.awaitProcessed();

            Http.Response saved = server.adminSend(
                    "POST",
                    "/v1/admin/audiences",
                    "{\"key\": \"bomb\", \"name\": \"Bomb\", \"owners\": [\"it\"], \"condition\": \"" + BOMB + "\"}");
            assertError(saved, 400, "expression_too_costly");
            assertThat(saved.json().at("/error/message").asText())
                    .contains("[0,1,2,3,4,5,6,7,8,9].all(")
                    .contains("the limit is 100000");
            assertThat(saved.json().at("/error/field").asText()).isEqualTo("condition");
            assertThat(server.admin("/v1/audiences").json().path("audiences").toString())
                    .doesNotContain("\"bomb\"");

            // the preview answers (an error) at all within 30 s, and the server still previews normally after
            CompletableFuture<Http.Response> bombed =
                    CompletableFuture.supplyAsync(() -> preview(server, TestServer.ADMIN_TOKEN, BOMB));
            assertError(bombed.get(30, TimeUnit.SECONDS), 400, "expression_too_costly");
            JsonNode normal = preview(server, TestServer.ADMIN_TOKEN, "traits.plan == 'pro'")
                    .json();
            assertThat(normal.path("matched").asLong()).isEqualTo(1);

            // under the estimate (lists from a profile count as 100 elements) but 200 x 200 iterations on this profile:
            // the runtime bound stops it, the profile counts as not matching, the metric counts it
            JsonNode slipped = preview(
                            server, TestServer.ADMIN_TOKEN, "traits.tags.all(a, traits.tags.exists(b, b == a))")
                    .json();
            assertThat(slipped.path("matched").asLong()).isZero();
            assertThat(slipped.at("/failures/count").asLong()).isEqualTo(1);
            assertThat(slipped.at("/failures/last").asText()).contains("10000 comprehension iterations");
            assertThat(server.http().get("/metrics").body())
                    .containsPattern("tandem_expression_over_budget_total [1-9]");
        }
    }

    @Test
    void aComprehensionBombInTandemYamlStopsStartUpWithTheLimit() {
        String yaml = "audiences:\n  - key: bomb\n    name: Bomb\n    owners: [it]\n    condition: '" + BOMB + "'\n";
        assertThatThrownBy(() -> TestServer.withWorkspace(store, dir, yaml))
                .hasMessageContaining("line 5")
                .hasMessageContaining("the limit is 100000");
        String rule = """
                placements:
                  - key: hero
                    owners: [marketing]
                    rules:
                      - when: '%s'
                        variant: x
                        content: {}
                    default: {variant: plain, content: {}}
                """.formatted(bomb(5));
        assertThatThrownBy(() -> TestServer.withWorkspace(store, dir, rule))
                .hasMessageContaining("the limit is 100000");
        String policy = "policies:\n  rules:\n    - id: bomb\n      when: '" + bomb(5)
                + "'\n      effect: deny\n      reason: no\n";
        assertThatThrownBy(() -> TestServer.withWorkspace(store, dir, policy))
                .hasMessageContaining("the limit is 100000");
    }

    @Test
    void aMaskedReaderCannotAskAboutMaskedFieldsNorCountSmallGroups() {
        try (TestServer server = TestServer.start(store, dir)) {
            StringBuilder batch = new StringBuilder("{\"batch\": [");
            for (int i = 0; i < 12; i++) {
                batch.append("{\"type\": \"identify\", \"userId\": \"p-")
                        .append(i)
                        .append("\", \"traits\": {\"plan\": \"pro\"}},");
            }
            for (int i = 0; i < 15; i++) {
                batch.append("{\"type\": \"identify\", \"userId\": \"b-")
                        .append(i)
                        .append("\", \"traits\": {\"plan\": \"basic\"}},");
            }
            batch.append(
                    "{\"type\": \"identify\", \"userId\": \"alice\", \"traits\": {\"plan\": \"free\", \"email\": \"alice.smith@corp.com\"}}]}");
            assertThat(server.track("/v1/batch", batch.toString()).status()).isEqualTo(200);
            server.awaitProcessed();
            String analyst = token(
                    server,
                    "bi",
                    "{\"scopes\": [\"audiences:read\"], \"role\": \"analyst\", \"purposes\": [\"analytics\"]}");
            String blind = token(server, "dashboard", "{\"scopes\": [\"audiences:read\"]}");

            Http.Response asked = preview(
                    server, analyst, "\\\"alice\\\" in identifiers.user_id && traits.email.startsWith(\\\"a\\\")");
            assertError(asked, 403, "masked_field");
            assertThat(asked.json().at("/error/message").asText())
                    .contains("traits.email")
                    .contains("masked")
                    .contains("analysts-see-aggregates")
                    .contains("'bi'");
            assertThat(asked.json().at("/error/field").asText()).isEqualTo("condition");
            assertError(
                    preview(server, analyst, "\\\"alice.smith@corp.com\\\" in identifiers.email"), 403, "masked_field");
            Http.Response whole = preview(server, blind, "traits.exists(k, traits[k] == \\\"alice.smith@corp.com\\\")");
            assertError(whole, 403, "masked_field");
            assertThat(whole.json().at("/error/message").asText())
                    .contains("the whole of traits")
                    .contains("readers-need-a-purpose");

            JsonNode one =
                    preview(server, analyst, "traits.plan == \\\"free\\\"").json();
            assertThat(one.has("estimated_size")).isTrue();
            assertThat(one.path("estimated_size").isNull()).isTrue();
            assertThat(one.path("matched").isNull()).isTrue();
            assertThat(one.path("fewer_than").asInt()).isEqualTo(10);
            assertThat(one.path("sample")).isEmpty();
            assertThat(one.toString()).doesNotContain("alice");
            JsonNode many =
                    preview(server, analyst, "traits.plan == \\\"pro\\\"").json();
            assertThat(many.path("estimated_size").asLong()).isEqualTo(10);
            assertThat(many.path("matched").asLong()).isEqualTo(10);
            assertThat(many.path("rounded_to").asInt()).isEqualTo(10);
            assertThat(many.has("fewer_than")).isFalse();
            assertThat(many.path("sample")).hasSize(10);
            // Everyone but one person is as small a group as that one person: the negated question is not counted
            // either.
            JsonNode allButAlice = preview(
                            server, analyst, "!(\\\"alice\\\" in identifiers.user_id && traits.plan == \\\"free\\\")")
                    .json();
            assertThat(allButAlice.path("matched").isNull())
                    .as(allButAlice.toString())
                    .isTrue();
            assertThat(allButAlice.path("fewer_than").asInt()).isEqualTo(10);

            // asking the policy about a field a condition names does not put made-up paths in the field catalog
            assertThat(preview(server, analyst, "has(traits.made_up_field)").status())
                    .isEqualTo(200);
            Awaitility.await()
                    .pollDelay(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> true);
            assertThat(server.admin("/v1/admin/fields").body())
                    .contains("traits.plan")
                    .doesNotContain("made_up_field");
            // the gate remembers what it worked out for a field it was asked about; a steward's review of that
            // field is what it answers next
            assertThat(server.adminSend("PUT", "/v1/admin/fields/traits.made_up_field", "{\"class\": \"personal\"}")
                            .status())
                    .isEqualTo(200);
            assertError(preview(server, analyst, "has(traits.made_up_field)"), 403, "masked_field");

            JsonNode admin = preview(server, TestServer.ADMIN_TOKEN, "traits.email.startsWith(\\\"a\\\")")
                    .json();
            assertThat(admin.path("matched").asLong()).isEqualTo(1);
            assertThat(admin.path("estimated_size").asLong()).isEqualTo(1);
            assertThat(admin.at("/sample/0/identifiers/email/0").asText()).isEqualTo("alice.smith@corp.com");
        }
    }

    @Test
    void memberExportsNeutraliseSpreadsheetFormulas() {
        try (TestServer server = TestServer.start(store, dir)) {
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"=1+2\", \"traits\": {\"plan\": \"pro\", \"phone\": \"+14155550100\"}}");
            server.track("/v1/identify", "{\"userId\": \"plain-user\", \"traits\": {\"plan\": \"pro\"}}");
            server.awaitProcessed();
            assertThat(server.adminSend(
                                    "POST",
                                    "/v1/admin/audiences",
                                    "{\"key\": \"pros\", \"name\": \"Pros\", \"owners\": [\"marketing\"], \"condition\": \"traits.plan == 'pro'\"}")
                            .status())
                    .isEqualTo(201);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> server.admin("/v1/audiences/pros")
                                    .json()
                                    .path("size")
                                    .asLong()
                            == 2);
            String csv = server.admin("/v1/audiences/pros/members?format=csv").body();
            assertThat(csv).contains(",'=1+2,,'+14155550100,").contains(",plain-user,,,");
            assertThat(csv.lines().skip(1))
                    .noneMatch(
                            line -> line.split(",", -1)[2].startsWith("=") || line.split(",", -1)[4].startsWith("+"));
        }
    }

    private static String bomb(int depth) {
        String ten = "[0,1,2,3,4,5,6,7,8,9]";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            b.append(ten).append(".all(x").append(i).append(", ");
        }
        b.append("x0 >= 0");
        return b.append(")".repeat(depth)).toString();
    }

    private static String tags(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        return b.append(']').toString();
    }

    private static Http.Response preview(TestServer server, String token, String condition) {
        return server.http()
                .post(
                        "/v1/audiences/preview",
                        "{\"condition\": \"" + condition + "\"}",
                        "Authorization",
                        "Bearer " + token,
                        "Content-Type",
                        "application/json");
    }

    private static String token(TestServer server, String name, String grant) {
        JsonNode created = server.adminSend(
                        "POST", "/v1/admin/tokens", grant.replace("{", "{\"name\": \"" + name + "\", "))
                .json();
        return created.path("token").asText();
    }
}
