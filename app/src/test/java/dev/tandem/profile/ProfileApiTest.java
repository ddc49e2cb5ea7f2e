package dev.tandem.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Profiles built from events: traits, precedence, computed traits, history, through the real Segment SDK and the Profile API. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ProfileApiTest {
    private static final String WORKSPACE = """
            sources:
              - name: test
                writeKey: wk_test_source_1
              - name: crm
                writeKey: wk_crm_source_1
            profiles:
              traitPrecedence:
                plan: [crm]
              computedTraits:
                - name: orders
                  aggregate: count
                  event: Order Completed
                - name: revenue_30d
                  aggregate: sum
                  property: properties.revenue
                  event: Order Completed
                  window: 30d
                - name: avg_order
                  aggregate: avg
                  property: properties.revenue
                  event: Order Completed
                - name: favourite_category
                  aggregate: most_frequent
                  property: properties.category
                - name: first_product
                  aggregate: first
                  property: properties.name
                - name: categories
                  aggregate: unique_count
                  property: properties.category
            """;

    private final StoreKind store;

    @TempDir
    Path dir;

    ProfileApiTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void traitsComputedTraitsAndHistoryFromTheSegmentSdk() throws Exception {
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            var analytics = com.segment.analytics.Analytics.builder(TestServer.WRITE_KEY)
                    .endpoint(server.url())
                    .build();
            try {
                analytics.enqueue(com.segment.analytics.messages.PageMessage.builder("Home")
                        .anonymousId("web-anon-1")
                        .timestamp(Date.from(now.minusSeconds(7200))));
                analytics.enqueue(com.segment.analytics.messages.IdentifyMessage.builder()
                        .userId("u-42")
                        .anonymousId("web-anon-1")
                        .timestamp(Date.from(now.minusSeconds(3600)))
                        .traits(Map.of(
                                "email",
                                "Ann@Example.com",
                                "phone",
                                "+1 (415) 555-2671",
                                "plan",
                                "gold",
                                "name",
                                "Ann")));
                analytics.enqueue(order("u-42", "Trail Shoe", "Shoes", 89.0, now.minus(40, ChronoUnit.DAYS)));
                analytics.enqueue(order("u-42", "Rain Jacket", "Outerwear", 149.0, now.minus(2, ChronoUnit.DAYS)));
                analytics.enqueue(order("u-42", "Socks", "Shoes", 11.0, now.minusSeconds(60)));
                // an older identify must not overwrite the newer name
                analytics.enqueue(com.segment.analytics.messages.IdentifyMessage.builder()
                        .userId("u-42")
                        .timestamp(Date.from(now.minus(10, ChronoUnit.DAYS)))
                        .traits(Map.of("name", "Old Name", "plan", "silver")));
                analytics.flush();
            } finally {
                analytics.shutdown();
            }
            String crmEvent =
                    "{\"type\":\"identify\",\"userId\":\"u-42\",\"traits\":{\"plan\":\"platinum\"},\"timestamp\":\""
                            + now.minus(20, ChronoUnit.DAYS) + "\"}";
            assertThat(server.http()
                            .post(
                                    "/v1/identify",
                                    crmEvent,
                                    "Authorization",
                                    dev.tandem.testing.Http.basic("wk_crm_source_1"),
                                    "Content-Type",
                                    "application/json")
                            .status())
                    .isEqualTo(200);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() ->
                            server.admin("/v1/events").json().path("events").size() == 7);
            server.awaitProcessed();

            for (String id :
                    List.of("user_id:u-42", "email:ann@example.com", "phone:+14155552671", "anonymous_id:web-anon-1")) {
                JsonNode traits = server.profile(id, "traits").json().path("traits");
                assertThat(traits.path("name").asText()).as(id).isEqualTo("Ann");
                assertThat(traits.path("plan").asText())
                        .as("crm wins plan although older")
                        .isEqualTo("platinum");
                assertThat(traits.path("orders").asLong()).isEqualTo(3);
                assertThat(traits.path("revenue_30d").asDouble())
                        .as("the 40-day-old order is outside the window")
                        .isEqualTo(160.0);
                assertThat(traits.path("avg_order").asDouble())
                        .isCloseTo(83.0, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(traits.path("favourite_category").asText()).isEqualTo("Shoes");
                assertThat(traits.path("first_product").asText()).isEqualTo("Trail Shoe");
                assertThat(traits.path("categories").asLong()).isEqualTo(2);
            }
            JsonNode only = server.profile("user_id:u-42", "traits?include=name,orders")
                    .json()
                    .path("traits");
            assertThat(only.size()).isEqualTo(2);

            JsonNode meta = server.profile("user_id:u-42", "metadata").json();
            assertThat(meta.path("events").asLong()).isEqualTo(7);
            assertThat(meta.path("channels").toString()).contains("web", "server");
            assertThat(meta.path("sources").toString()).contains("test", "crm");
            // the collector corrects timestamps by the SDK's clock skew (sentAt against receivedAt): a few milliseconds
            // here
            assertThat(Instant.parse(meta.path("first_seen").asText()))
                    .isCloseTo(
                            now.minus(40, ChronoUnit.DAYS),
                            org.assertj.core.api.Assertions.within(2, ChronoUnit.SECONDS));

            List<String> ids = new ArrayList<>();
            server.profile("user_id:u-42", "external_ids")
                    .json()
                    .path("data")
                    .forEach(i ->
                            ids.add(i.path("type").asText() + ":" + i.path("id").asText()));
            assertThat(ids)
                    .containsExactlyInAnyOrder(
                            "user_id:u-42", "anonymous_id:web-anon-1", "email:ann@example.com", "phone:+14155552671");

            JsonNode first =
                    server.profile("email:ann@example.com", "events?limit=4").json();
            assertThat(first.path("data")).hasSize(4);
            assertThat(first.at("/cursor/has_more").asBoolean()).isTrue();
            JsonNode second = server.profile(
                            "email:ann@example.com",
                            "events?limit=4&next=" + first.at("/cursor/next").asText())
                    .json();
            assertThat(second.path("data")).hasSize(3);
            assertThat(second.at("/cursor/has_more").asBoolean()).isFalse();
        }
    }

    private static com.segment.analytics.messages.TrackMessage.Builder order(
            String userId, String name, String category, double revenue, Instant at) {
        return com.segment.analytics.messages.TrackMessage.builder("Order Completed")
                .userId(userId)
                .timestamp(Date.from(at))
                .properties(Map.of("name", name, "category", category, "revenue", revenue));
    }
}
