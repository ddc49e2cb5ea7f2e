package dev.tandem.plan;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each mode of a tracking plan, with events sent by the real Segment Java SDK: what is stored, what
 * goes to the quarantine (and comes back once the plan is fixed), and what is counted, on both stores.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class TrackingPlanModesTest {
    private static final String ORDER =
            "{\"type\": \"object\", \"required\": [\"order_id\", \"total\"], \"properties\": {"
                    + "\"order_id\": {\"type\": \"string\"}, \"total\": {\"type\": \"number\"}, "
                    + "\"items\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"sku\": {\"type\": \"string\"}}}}}}";

    private final StoreKind store;

    @TempDir
    Path dir;

    private TestServer server;

    TrackingPlanModesTest(StoreKind store) {
        this.store = store;
    }

    @BeforeEach
    void start() {
        server = TestServer.start(store, dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String plan(String mode, String orderSchema) {
        return "{\"sources\": [\"test\"], \"mode\": \"" + mode + "\", \"owners\": [\"it-data\", \"marketing-ops\"], "
                + "\"events\": {\"Order Completed\": " + orderSchema + "}, "
                + "\"identify\": {\"properties\": {\"plan\": {\"enum\": [\"free\", \"pro\"]}}}, "
                + "\"page\": {\"properties\": {\"path\": {\"type\": \"string\"}}}}";
    }

    @Test
    void blockModeQuarantinesEachBadEventAloneAndItIsReplayedOnceThePlanIsFixed() {
        Http.Response put = server.adminSend("PUT", "/v1/tracking-plans/web", plan("block", ORDER));
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(put.json().path("origin").asText()).isEqualTo("api");

        send(analytics -> {
            analytics.enqueue(TrackMessage.builder("Order Completed")
                    .userId("u1")
                    .messageId("good-order")
                    .properties(Map.of("order_id", "o-1", "total", 42.5, "coupon", "SPRING")));
            analytics.enqueue(TrackMessage.builder("Order Completed")
                    .userId("u1")
                    .messageId("string-total")
                    .properties(Map.of("order_id", "o-2", "total", "forty-two")));
            analytics.enqueue(TrackMessage.builder("Order Completed")
                    .userId("u1")
                    .messageId("no-order-id")
                    .properties(Map.of("total", 3)));
            analytics.enqueue(TrackMessage.builder("Lead Captured")
                    .userId("u1")
                    .messageId("unplanned-event")
                    .properties(Map.of("email", "ann@example.com")));
            analytics.enqueue(IdentifyMessage.builder()
                    .userId("u1")
                    .messageId("gold-plan")
                    .traits(Map.of("plan", "gold", "email", "ann@example.com")));
            analytics.enqueue(
                    IdentifyMessage.builder().userId("u1").messageId("pro-plan").traits(Map.of("plan", "pro")));
            analytics.enqueue(PageMessage.builder("Home")
                    .anonymousId("a1")
                    .messageId("home-page")
                    .properties(Map.of("path", "/")));
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> quarantine().size() == 4);
        assertThat(server.events().stream().map(e -> e.path("messageId").asText()))
                .containsExactlyInAnyOrder("good-order", "pro-plan", "home-page");
        Map<String, JsonNode> reasons = new java.util.HashMap<>();
        quarantine().forEach(q -> reasons.put(q.at("/event/messageId").asText(), q.path("reason")));
        assertThat(reasons.get("string-total").path("code").asText()).isEqualTo("tracking_plan_violation");
        assertThat(reasons.get("string-total").path("field").asText()).isEqualTo("properties.total");
        assertThat(reasons.get("string-total").path("message").asText())
                .contains(
                        "Tracking plan 'web'", "properties.total is a string where the plan wants number", "wrong_type")
                .doesNotContain("forty-two");
        assertThat(reasons.get("no-order-id").path("field").asText()).isEqualTo("properties.order_id");
        assertThat(reasons.get("unplanned-event").path("field").asText()).isEqualTo("event");
        assertThat(reasons.get("unplanned-event").path("message").asText())
                .contains("'Lead Captured' is not in the plan");
        assertThat(reasons.get("gold-plan").path("field").asText()).isEqualTo("traits.plan");
        assertThat(reasons.get("gold-plan").path("message").asText()).doesNotContain("gold");

        JsonNode violations = server.admin("/v1/tracking-plans/web/violations").json();
        assertThat(violations.path("total").asLong()).isEqualTo(6);
        assertThat(rows(violations))
                .containsExactlyInAnyOrder(
                        "Order Completed|properties.coupon|unplanned_property|1",
                        "identify|traits.email|unplanned_property|1",
                        "Order Completed|properties.total|wrong_type|1",
                        "Order Completed|properties.order_id|missing_required|1",
                        "Lead Captured|event|unplanned_event|1",
                        "identify|traits.plan|invalid_value|1");
        JsonNode wrongType = find(violations, "properties.total");
        assertThat(wrongType.at("/sample/expected").asText()).isEqualTo("number");
        assertThat(wrongType.at("/sample/found").asText()).isEqualTo("string");
        assertThat(find(violations, "traits.plan").at("/sample/keyword").asText())
                .isEqualTo("enum");
        // the samples hold names, kinds and types: never a value of an event
        assertThat(violations.toString()).doesNotContain("forty-two", "gold", "SPRING", "ann@example.com", "o-2");
        String metrics = server.http().get("/metrics").body();
        assertThat(metrics).contains("tandem_plan_blocked_total{plan=\"web\"} 4.0");
        assertThat(metrics).contains("tandem_plan_violations_total{kind=\"wrong_type\",plan=\"web\"} 1.0");

        // the plan is fixed: the total may be text; the quarantined event is replayed unchanged and kept
        String fixed =
                ORDER.replace("\"total\": {\"type\": \"number\"}", "\"total\": {\"type\": [\"number\", \"string\"]}");
        assertThat(server.adminSend("PUT", "/v1/tracking-plans/web", plan("block", fixed))
                        .status())
                .isEqualTo(200);
        long stringTotal = id("string-total");
        Http.Response replayed = server.adminSend("POST", "/v1/quarantine/" + stringTotal + "/replay", null);
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
        assertThat(server.events().stream().map(e -> e.path("messageId").asText()))
                .contains("string-total");
        // an event the plan still refuses stays in the quarantine, with the reason as the answer
        assertError(
                server.adminSend("POST", "/v1/quarantine/" + id("unplanned-event") + "/replay", null),
                400,
                "tracking_plan_violation");
        assertThat(quarantine()).hasSize(3);

        // the plan and its counts are stored: a restart keeps both
        server.restart();
        assertThat(server.admin("/v1/tracking-plans/web")
                        .json()
                        .at("/events/Order Completed/properties/total/type/1")
                        .asText())
                .isEqualTo("string");
        // 6 before, and the one of the replay the plan still refused
        assertThat(server.admin("/v1/tracking-plans/web/violations")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(7);
        assertThat(server.track("/v1/track", "{\"userId\": \"u2\", \"event\": \"Lead Captured\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void omitModeDropsUnplannedPropertiesAndKeepsTheEvent() {
        assertThat(server.adminSend("PUT", "/v1/tracking-plans/web", plan("omit", ORDER))
                        .status())
                .isEqualTo(201);
        send(analytics -> {
            analytics.enqueue(TrackMessage.builder("Order Completed")
                    .userId("u1")
                    .messageId("with-extras")
                    .properties(Map.of(
                            "order_id", "o-1",
                            "total", "12",
                            "coupon", "SPRING",
                            "items", List.of(Map.of("sku", "s-1", "note", "gift"), Map.of("sku", "s-2")))));
            analytics.enqueue(TrackMessage.builder("Lead Captured").userId("u1").messageId("unplanned"));
            analytics.enqueue(IdentifyMessage.builder()
                    .userId("u1")
                    .messageId("traits")
                    .traits(Map.of("plan", "pro", "nickname", "Annie")));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> server.events().size() == 3);
        JsonNode order = stored("with-extras");
        assertThat(order.at("/properties/coupon").isMissingNode()).isTrue();
        assertThat(order.at("/properties/items/0/note").isMissingNode()).isTrue();
        assertThat(order.at("/properties/items/0/sku").asText()).isEqualTo("s-1");
        // a wrong type is counted, not mended: omit only removes what the plan does not declare
        assertThat(order.at("/properties/total").asText()).isEqualTo("12");
        // identify's schema declares 'plan' only: another trait is unplanned, and removed too
        assertThat(stored("traits").at("/traits/plan").asText()).isEqualTo("pro");
        assertThat(stored("traits").at("/traits/nickname").isMissingNode()).isTrue();
        assertThat(quarantine()).isEmpty();

        JsonNode violations = server.admin("/v1/tracking-plans/web/violations").json();
        assertThat(rows(violations))
                .containsExactlyInAnyOrder(
                        "Order Completed|properties.coupon|unplanned_property|1",
                        "Order Completed|properties.items[].note|unplanned_property|1",
                        "identify|traits.nickname|unplanned_property|1",
                        "Order Completed|properties.total|wrong_type|1",
                        "Lead Captured|event|unplanned_event|1");
        assertThat(server.http().get("/metrics").body()).contains("tandem_plan_omitted_total{plan=\"web\"} 3.0");
    }

    @Test
    void allowModeKeepsEverythingAndCountsWhatIsWrong() {
        String closed = ORDER.replace("\"required\"", "\"additionalProperties\": false, \"required\"");
        assertThat(server.adminSend("PUT", "/v1/tracking-plans/web", plan("allow", closed))
                        .status())
                .isEqualTo(201);
        send(analytics -> {
            analytics.enqueue(TrackMessage.builder("Order Completed")
                    .userId("u1")
                    .messageId("extras")
                    .properties(Map.of("total", true, "coupon", "SPRING")));
            analytics.enqueue(TrackMessage.builder("Order Completed")
                    .userId("u1")
                    .messageId("fine")
                    .properties(Map.of("order_id", "o-1", "total", 1)));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> server.events().size() == 2);
        assertThat(stored("extras").at("/properties/coupon").asText()).isEqualTo("SPRING");
        JsonNode violations = server.admin("/v1/tracking-plans/web/violations").json();
        assertThat(rows(violations))
                .containsExactlyInAnyOrder(
                        "Order Completed|properties.coupon|unplanned_property|1",
                        "Order Completed|properties.order_id|missing_required|1",
                        "Order Completed|properties.total|wrong_type|1");
        assertThat(find(violations, "properties.total").at("/sample/found").asText())
                .isEqualTo("boolean");
        assertThat(find(violations, "properties.coupon").at("/sample/keyword").asText())
                .isEqualTo("additionalProperties");
        assertThat(server.http().get("/metrics").body())
                .contains("tandem_plan_checked_total{plan=\"web\"} 2.0")
                .contains("tandem_plan_blocked_total{plan=\"web\"} 0.0");

        // deleting the plan stops the checks and forgets the counts
        assertThat(server.adminSend("DELETE", "/v1/tracking-plans/web", null).status())
                .isEqualTo(204);
        assertError(server.admin("/v1/tracking-plans/web/violations"), 404, "unknown_tracking_plan");
        assertThat(server.admin("/v1/tracking-plans").json().path("plans").size())
                .isZero();
    }

    private void send(Consumer<Analytics> calls) {
        AtomicInteger failures = new AtomicInteger();
        Analytics analytics = Analytics.builder(TestServer.WRITE_KEY)
                .endpoint(server.url())
                .flushInterval(1, TimeUnit.SECONDS)
                .callback(new com.segment.analytics.Callback() {
                    @Override
                    public void success(com.segment.analytics.messages.Message message) {}

                    @Override
                    public void failure(com.segment.analytics.messages.Message message, Throwable throwable) {
                        failures.incrementAndGet();
                    }
                })
                .build();
        try {
            calls.accept(analytics);
            analytics.flush();
            analytics.shutdown();
        } finally {
            assertThat(failures.get()).as("events the SDK could not deliver").isZero();
        }
    }

    private List<JsonNode> quarantine() {
        List<JsonNode> all = new ArrayList<>();
        server.admin("/v1/quarantine").json().path("events").forEach(all::add);
        return all;
    }

    private long id(String messageId) {
        return quarantine().stream()
                .filter(q -> q.at("/event/messageId").asText().equals(messageId))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asLong();
    }

    private JsonNode stored(String messageId) {
        return server.events().stream()
                .filter(e -> e.path("messageId").asText().equals(messageId))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> rows(JsonNode violations) {
        List<String> out = new ArrayList<>();
        violations
                .path("violations")
                .forEach(v -> out.add(v.path("event").asText() + "|"
                        + v.path("field").asText() + "|" + v.path("kind").asText() + "|"
                        + v.path("count").asLong()));
        return out;
    }

    private static JsonNode find(JsonNode violations, String field) {
        for (JsonNode v : violations.path("violations")) {
            if (v.path("field").asText().equals(field)) {
                return v;
            }
        }
        throw new AssertionError("no violation of " + field + " in " + violations);
    }
}
