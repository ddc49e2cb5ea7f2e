package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.ConfigException;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A SaaS tool posting its own JSON to {@code /v1/webhook}: mapped into events as tandem.yaml declares, on both stores. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class WebhookSourceTest {
    private static final String STRIPE_KEY = "wk_stripe_hooks_1";
    private static final String MAIL_KEY = "wk_mail_hooks_1";
    private static final String PLAIN_KEY = "wk_plain_source_1";
    private static final String WORKSPACE = """
            sources:
              - name: stripe
                writeKey: %s
                webhook:
                  type: "'track'"
                  event: "'Stripe ' + body.type"
                  userId: "body.data.object.customer"
                  messageId: "body.id"
                  timestamp: "body.created"
                  properties.amount: "double(body.data.object.amount) / 100.0"
                  properties.currency: "body.data.object.currency == 'eur' ? 'EUR' : body.data.object.currency"
                  context.delivery: "'stripe-signature' in headers ? 'signed' : 'unsigned'"
              - name: mail
                writeKey: %s
                webhook:
                  each: "body"
                  type: "item.event == 'unsubscribe' ? 'identify' : 'track'"
                  event: "'Email ' + item.event"
                  userId: "item.user_id"
                  traits: "item.event == 'unsubscribe' ? {'unsubscribed': true} : {}"
                  properties.campaign: "has(query.campaign) ? dyn(query.campaign) : null"
              - name: plain
                writeKey: %s
            """.formatted(STRIPE_KEY, MAIL_KEY, PLAIN_KEY);

    private final StoreKind store;

    @TempDir
    Path dir;

    private TestServer server;

    WebhookSourceTest(StoreKind store) {
        this.store = store;
    }

    @BeforeEach
    void start() {
        server = TestServer.withWorkspace(store, dir, WORKSPACE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Http.Response post(String query, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.http().post("/v1/webhook" + query, body, all);
    }

    private List<JsonNode> events(String source) {
        return server.events().stream()
                .filter(e -> e.path("messageId").asText().length() > 0)
                .filter(e -> source.equals("stripe")
                        ? e.path("event").asText().startsWith("Stripe")
                        : e.path("messageId").asText().startsWith("webhook-"))
                .toList();
    }

    @Test
    void aPayloadBecomesTheEventItsMappingDeclaresAndARetryOfItIsStoredOnce() {
        String payment = """
                {"id": "evt_1", "type": "charge.succeeded", "created": 1714566600,
                 "data": {"object": {"customer": "cus_42", "amount": 1990, "currency": "eur"}}}
                """;
        Http.Response first = post("?writeKey=" + STRIPE_KEY, payment, "Stripe-Signature", "t=1,v1=abc");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(first.json().path("rejected")).isEmpty();
        Http.Response retried = server.http()
                .post(
                        "/v1/webhook",
                        payment,
                        "Authorization",
                        Http.basic(STRIPE_KEY),
                        "Content-Type",
                        "application/json");
        assertThat(retried.json().path("duplicates").asInt()).isEqualTo(1);

        assertThat(events("stripe")).singleElement().satisfies(e -> {
            assertThat(e.path("type").asText()).isEqualTo("track");
            assertThat(e.path("event").asText()).isEqualTo("Stripe charge.succeeded");
            assertThat(e.path("userId").asText()).isEqualTo("cus_42");
            assertThat(e.path("messageId").asText()).isEqualTo("evt_1");
            assertThat(e.path("timestamp").asText()).isEqualTo("2024-05-01T12:30:00.000Z");
            assertThat(e.path("properties").path("amount").asDouble()).isEqualTo(19.9);
            assertThat(e.path("properties").path("currency").asText()).isEqualTo("EUR");
            assertThat(e.path("context").path("delivery").asText()).isEqualTo("signed");
        });
        server.awaitProcessed();
        assertThat(server.profile("user_id:cus_42", "events").status()).isEqualTo(200);
    }

    @Test
    void eachElementOfAListIsOneEventAndTheOneTheMappingFailsOnIsQuarantinedAlone() {
        String batch = """
                [{"event": "open", "user_id": "u-1"},
                 {"event": "unsubscribe", "user_id": "u-2"},
                 {"event": "click"},
                 {"event": "bounce", "user_id": "u-3"}]
                """;
        Http.Response response = post("?writeKey=" + MAIL_KEY + "&campaign=spring", batch);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("accepted").asInt()).isEqualTo(3);
        JsonNode refused = response.json().path("rejected");
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).path("index").asInt()).isEqualTo(2);
        assertThat(refused.get(0).path("code").asText()).isEqualTo("webhook_mapping_failed");
        assertThat(refused.get(0).path("field").asText()).isEqualTo("userId");
        assertThat(refused.get(0).path("message").asText())
                .contains("at 'userId'")
                .contains("user_id");

        List<JsonNode> stored = events("mail");
        assertThat(stored).extracting(e -> e.path("userId").asText()).containsExactlyInAnyOrder("u-1", "u-2", "u-3");
        JsonNode unsubscribed = stored.stream()
                .filter(e -> e.path("userId").asText().equals("u-2"))
                .findFirst()
                .orElseThrow();
        assertThat(unsubscribed.path("type").asText()).isEqualTo("identify");
        assertThat(unsubscribed.path("traits").path("unsubscribed").asBoolean()).isTrue();
        assertThat(stored)
                .allSatisfy(
                        e -> assertThat(e.path("properties").path("campaign").asText())
                                .isEqualTo("spring"));

        JsonNode quarantined = server.admin("/v1/quarantine").json().path("events");
        assertThat(quarantined).hasSize(1);
        assertThat(quarantined.get(0).path("source").asText()).isEqualTo("mail");
        assertThat(quarantined.get(0).path("reason").path("code").asText()).isEqualTo("webhook_mapping_failed");
        assertThat(quarantined.get(0).path("event").path("event").asText()).isEqualTo("click");
    }

    @Test
    void aMappedEventThatIsNoValidEventIsQuarantinedWithTheCollectorsReason() {
        Http.Response response = post("?writeKey=" + STRIPE_KEY, """
                {"id": "evt_2", "type": "refund", "created": "not a time",
                 "data": {"object": {"customer": "cus_1", "amount": 5, "currency": "usd"}}}
                """);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("rejected").get(0).path("code").asText())
                .isEqualTo("invalid_timestamp");
        assertThat(server.admin("/v1/quarantine")
                        .json()
                        .path("events")
                        .get(0)
                        .path("reason")
                        .path("code")
                        .asText())
                .isEqualTo("invalid_timestamp");
        Http.Response notAList = post("?writeKey=" + MAIL_KEY, "{\"event\": \"open\"}");
        assertThat(notAList.json().path("rejected").get(0).path("field").asText())
                .isEqualTo("each");
        assertThat(notAList.json().path("rejected").get(0).path("message").asText())
                .contains("not a list");
    }

    @Test
    void formBodiesAreReadAsTextFields() {
        String workspaceless = "type=subscribe&data%5Bemail%5D=ann%40example.com&list=a&list=b";
        Http.Response response = server.http()
                .post(
                        "/v1/webhook?writeKey=" + STRIPE_KEY,
                        workspaceless,
                        "Content-Type",
                        "application/x-www-form-urlencoded");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("rejected").get(0).path("message").asText())
                .as("the form's fields are there, only 'data.object' is not")
                .contains("at 'userId'");
    }

    @Test
    void theRouteRefusesWhatItCannotStoreWithAReasonAndStoresNothing() {
        assertError(post("", "{}"), 401, "missing_write_key");
        assertError(post("?writeKey=wk_nobody_has_this", "{}"), 401, "unknown_write_key");
        assertError(post("", "{}", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN), 401, "missing_write_key");
        assertError(
                post("?writeKey=" + MAIL_KEY, "{}", "Authorization", Http.basic("wk_wrong_key")),
                401,
                "unknown_write_key");
        assertError(post("?writeKey=" + "k".repeat(4_000), "{}"), 401, "unknown_write_key");
        assertError(post("?writeKey=" + PLAIN_KEY, "{}"), 404, "no_webhook_mapping");
        assertError(post("?writeKey=" + STRIPE_KEY, "{\"id\": "), 400, "invalid_json");
        assertError(post("?writeKey=" + STRIPE_KEY, "{} {}"), 400, "invalid_json");
        assertError(post("?writeKey=" + STRIPE_KEY, ""), 400, "invalid_json");
        assertError(
                post("?writeKey=" + STRIPE_KEY, "{\"pad\": \"" + "x".repeat(600_000) + "\"}"),
                400,
                "webhook_too_large");
        assertError(post("?writeKey=" + MAIL_KEY, "[" + "{},".repeat(2_500) + "{}]"), 400, "webhook_too_many_events");
        assertError(
                server.http()
                        .post(
                                "/v1/webhook?writeKey=" + STRIPE_KEY,
                                "{}",
                                "Content-Type",
                                "application/json",
                                "Content-Encoding",
                                "gzip"),
                400,
                "invalid_gzip");
        assertThat(server.events()).isEmpty();
        assertThat(server.admin("/v1/quarantine").json().path("events")).isEmpty();
    }

    @Test
    void aMappingThatDoesNotCompileStopsStartUpAtItsLine() {
        Path other = dir.resolve("other");
        assertThatThrownBy(() -> TestServer.withWorkspace(store, java.nio.file.Files.createDirectories(other), """
                        sources:
                          - name: hooks
                            webhook:
                              type: "'track'"
                              userId: "body.user.id +"
                        """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 5")
                .hasMessageContaining("The webhook mapping has an error at line 1");
        assertThatThrownBy(() -> TestServer.withWorkspace(store, java.nio.file.Files.createDirectories(other), """
                        sources:
                          - name: hooks
                            webhook:
                              type: "'track'"
                              userName: "body.user"
                        """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'userName' is not an event field");
        assertThatThrownBy(() -> TestServer.withWorkspace(store, java.nio.file.Files.createDirectories(other), """
                        sources:
                          - name: hooks
                            webhook:
                              userId: "body.user"
                        """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must set 'type'");
    }
}
