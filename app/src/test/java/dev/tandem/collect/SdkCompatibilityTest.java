package dev.tandem.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real Segment and RudderStack Java SDKs, unchanged, pointed at Tandem. */
class SdkCompatibilityTest extends ServerPerTest {
    SdkCompatibilityTest() {
        super(StoreKind.SQLITE);
    }

    private static final Instant HOUR_AGO = Instant.now().minus(Duration.ofHours(1));

    @Test
    void segmentJavaSdkSendsEveryCallType() {
        AtomicInteger failures = new AtomicInteger();
        com.segment.analytics.Analytics analytics = com.segment.analytics.Analytics.builder(TestServer.WRITE_KEY)
                .endpoint(server.url())
                .flushInterval(1, java.util.concurrent.TimeUnit.SECONDS)
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
            analytics.enqueue(com.segment.analytics.messages.IdentifyMessage.builder()
                    .userId("seg-u1")
                    .messageId("seg-identify")
                    .traits(Map.of("email", "ann@example.com", "plan", "gold")));
            analytics.enqueue(com.segment.analytics.messages.TrackMessage.builder("Order Completed")
                    .userId("seg-u1")
                    .messageId("seg-track")
                    .timestamp(Date.from(HOUR_AGO))
                    .properties(Map.of("total", 42.5, "currency", "EUR")));
            analytics.enqueue(com.segment.analytics.messages.PageMessage.builder("Home")
                    .anonymousId("seg-a1")
                    .messageId("seg-page")
                    .properties(Map.of("path", "/")));
            analytics.enqueue(com.segment.analytics.messages.ScreenMessage.builder("Cart")
                    .anonymousId("seg-a1")
                    .messageId("seg-screen"));
            analytics.enqueue(com.segment.analytics.messages.GroupMessage.builder("acme")
                    .userId("seg-u1")
                    .messageId("seg-group")
                    .traits(Map.of("name", "Acme")));
            analytics.enqueue(com.segment.analytics.messages.AliasMessage.builder("seg-a1")
                    .userId("seg-u1")
                    .messageId("seg-alias"));
            analytics.flush();
            Map<String, JsonNode> byId = awaitEvents(6);
            assertCommonFields(byId, "seg-");
            assertThat(byId.get("seg-identify").at("/traits/email").asText()).isEqualTo("ann@example.com");
            assertThat(byId.get("seg-track").at("/properties/total").asDouble()).isEqualTo(42.5);
            assertThat(byId.get("seg-page").get("name").asText()).isEqualTo("Home");
            assertThat(byId.get("seg-group").get("groupId").asText()).isEqualTo("acme");
            assertThat(byId.get("seg-alias").get("previousId").asText()).isEqualTo("seg-a1");
            assertThat(byId.get("seg-track").at("/context/library/name").asText())
                    .isEqualTo("analytics-java");
            assertThat(failures.get()).isZero();
        } finally {
            analytics.shutdown();
        }
    }

    @Test
    void rudderStackJavaSdkSendsEveryCallTypeGzipped() {
        AtomicInteger failures = new AtomicInteger();
        com.rudderstack.sdk.java.analytics.RudderAnalytics analytics =
                com.rudderstack.sdk.java.analytics.RudderAnalytics.builder(TestServer.WRITE_KEY)
                        .setDataPlaneUrl(server.url())
                        .setGZIP(true)
                        .flushInterval(1, java.util.concurrent.TimeUnit.SECONDS)
                        .callback(new com.rudderstack.sdk.java.analytics.Callback() {
                            @Override
                            public void success(com.rudderstack.sdk.java.analytics.messages.Message message) {}

                            @Override
                            public void failure(
                                    com.rudderstack.sdk.java.analytics.messages.Message message, Throwable throwable) {
                                failures.incrementAndGet();
                            }
                        })
                        .build();
        try {
            analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.IdentifyMessage.builder()
                    .userId("rs-u1")
                    .messageId("rs-identify")
                    .traits(Map.of("email", "ben@example.com")));
            analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.TrackMessage.builder("Order Completed")
                    .userId("rs-u1")
                    .messageId("rs-track")
                    .timestamp(Date.from(HOUR_AGO))
                    .properties(Map.of("total", 42.5)));
            analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.PageMessage.builder("Home")
                    .anonymousId("rs-a1")
                    .messageId("rs-page"));
            analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.ScreenMessage.builder("Cart")
                    .anonymousId("rs-a1")
                    .messageId("rs-screen"));
            analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.GroupMessage.builder("acme")
                    .userId("rs-u1")
                    .messageId("rs-group"));
            analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.AliasMessage.builder("rs-a1")
                    .userId("rs-u1")
                    .messageId("rs-alias"));
            analytics.flush();
            Map<String, JsonNode> byId = awaitEvents(6);
            assertCommonFields(byId, "rs-");
            assertThat(byId.get("rs-identify").at("/traits/email").asText()).isEqualTo("ben@example.com");
            assertThat(byId.get("rs-alias").get("previousId").asText()).isEqualTo("rs-a1");
            assertThat(failures.get()).isZero();
        } finally {
            analytics.shutdown();
        }
    }

    private Map<String, JsonNode> awaitEvents(int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> server.events().size() >= count);
        List<JsonNode> events = server.events();
        assertThat(events).hasSize(count);
        return events.stream().collect(Collectors.toMap(e -> e.get("messageId").asText(), Function.identity()));
    }

    private static void assertCommonFields(Map<String, JsonNode> byId, String prefix) {
        assertThat(byId.keySet())
                .containsExactlyInAnyOrder(
                        prefix + "identify",
                        prefix + "track",
                        prefix + "page",
                        prefix + "screen",
                        prefix + "group",
                        prefix + "alias");
        assertThat(byId.get(prefix + "identify").get("type").asText()).isEqualTo("identify");
        assertThat(byId.get(prefix + "track").get("type").asText()).isEqualTo("track");
        assertThat(byId.get(prefix + "track").get("event").asText()).isEqualTo("Order Completed");
        assertThat(byId.get(prefix + "screen").get("type").asText()).isEqualTo("screen");
        assertThat(byId.get(prefix + "alias").get("type").asText()).isEqualTo("alias");
        for (JsonNode e : byId.values()) {
            Instant receivedAt = Instant.parse(e.get("receivedAt").asText());
            assertThat(Duration.between(receivedAt, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
            assertThat(e.hasNonNull("sentAt")).as("sentAt of " + e).isTrue();
        }
        // The SDK stamped the track call an hour ago with the same clock as sentAt: the corrected time says so.
        Instant corrected =
                Instant.parse(byId.get(prefix + "track").get("timestamp").asText());
        assertThat(Duration.between(HOUR_AGO, corrected).abs()).isLessThan(Duration.ofSeconds(5));
    }
}
