package dev.tandem.protect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.ApiAssertions;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restricted data is removed at collection, before anything is stored; fields are catalogued for review. */
class ClassificationTest {
    private static final String[] SECRETS = {
        "4111 1111 1111 1111",
        "4242424242424242",
        "hunter2-Secret-XYZ",
        "5555555555554444",
        "378282246310005",
        "123-45-6789",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl",
        "sk_live_token_998877"
    };

    @TempDir
    Path dir;

    @Test
    void cardNumbersAndPasswordsNeverReachTheDatabaseFile() throws IOException {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            String batch = """
                    {"batch": [
                      {"type": "identify", "userId": "u-1", "traits": {"email": "ann@example.com", "password": "hunter2-Secret-XYZ",
                        "plan": "pro", "address": {"city": "Lyon", "national_id": "378282246310005"}}},
                      {"type": "track", "userId": "u-1", "event": "Order Completed",
                        "properties": {"note": "pay with 4111 1111 1111 1111 please", "cc": 4242424242424242, "order_id": "1700000000000123",
                          "not_a_card": "4111111111111112", "items": ["sku-1", "5555555555554444"], "ssn_text": "mine is 123-45-6789",
                          "payment": {"card_number": "4000056655665556", "brand": "visa"}},
                        "context": {"ip": "203.0.113.9", "headers": {"authorization": "sk_live_token_998877"},
                          "session": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl"}},
                      {"type": "bogus", "userId": "u-1", "properties": {"password": "hunter2-Secret-XYZ"}},
                      "4242424242424242"
                    ]}""";
            JsonNode receipt = server.track("/v1/batch", batch).json();
            assertThat(receipt.path("accepted").asInt()).isEqualTo(2);
            assertThat(receipt.path("rejected")).hasSize(2);

            List<JsonNode> events = server.events();
            JsonNode identify = events.get(0);
            String stored = events.toString();
            assertThat(stored)
                    .contains(
                            "\"plan\":\"pro\"",
                            "ann@example.com",
                            "\"city\":\"Lyon\"",
                            "1700000000000123",
                            "4111111111111112",
                            "sku-1",
                            "\"brand\":\"visa\"",
                            "203.0.113.9");
            assertThat(identify.toString()).doesNotContain("password");

            JsonNode removals = server.admin("/v1/admin/removals").json().path("removals");
            List<String> logged = new ArrayList<>();
            removals.forEach(r -> logged.add(r.path("path").asText() + " | "
                    + r.path("reason").asText() + " | " + r.path("count").asInt()));
            assertThat(logged)
                    .contains(
                            "traits.password | key name: passwords and secrets | 1",
                            "traits.address.national_id | key name: government ids | 1",
                            "properties.note | value: a payment card number (Luhn check) | 1",
                            "properties.cc | value: a payment card number (Luhn check) | 1",
                            "properties.items[] | value: a payment card number (Luhn check) | 1",
                            "properties.ssn_text | value: US social security numbers | 1",
                            "properties.payment.card_number | key name: payment cards | 1",
                            "context.headers.authorization | key name: tokens | 1",
                            "context.session | value: JSON web tokens | 1",
                            "properties.password | key name: passwords and secrets | 1");
            for (String secret : SECRETS) {
                assertThat(removals.toString()).doesNotContain(secret);
            }
        }
        // after the server closed, nothing of the secrets is in the database, its WAL or anything else under the data
        // directory
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : SECRETS) {
                    assertThat(bytes)
                            .as("%s must not hold %s", file.getFileName(), secret)
                            .doesNotContain(secret);
                }
                assertThat(bytes).as("control: the file holds the kept values").isNotNull();
            }
        }
    }

    @Test
    void newFieldsWaitForAStewardAndAReviewedClassSticks() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            server.track("/v1/track", """
                    {"userId": "u-1", "event": "Viewed", "properties": {"plan": "pro", "loyalty_code": "LC-99", "contact": "bo@example.com",
                     "name": "Trail Shoe"}, "traits": {"email": "bo@example.com", "name": "Bo Berg"}}""");
            List<String> unreviewed =
                    paths(server.admin("/v1/admin/fields?status=unreviewed").json());
            assertThat(unreviewed)
                    .contains("properties.plan", "properties.loyalty_code", "properties.contact")
                    .doesNotContain("traits.email");
            JsonNode all = server.admin("/v1/admin/fields").json().path("fields");
            assertThat(field(all, "traits.email").path("fieldClass").asText()).isEqualTo("personal");
            assertThat(field(all, "traits.email").path("classifiedBy").asText()).isEqualTo("key name: contact details");
            assertThat(field(all, "properties.contact").path("fieldClass").asText())
                    .isEqualTo("personal");
            assertThat(field(all, "properties.contact").path("classifiedBy").asText())
                    .isEqualTo("value matchers");
            assertThat(field(all, "properties.plan").path("seen").asLong()).isEqualTo(1);
            assertThat(field(all, "traits.name").path("fieldClass").asText())
                    .as("a person's name among traits")
                    .isEqualTo("personal");
            assertThat(field(all, "properties.name").path("fieldClass").asText())
                    .as("a product's name")
                    .isEqualTo("general");

            assertThat(server.adminSend("PUT", "/v1/admin/fields/properties.loyalty_code", "{\"class\": \"personal\"}")
                            .status())
                    .isEqualTo(200);
            ApiAssertions.assertError(
                    server.adminSend("PUT", "/v1/admin/fields/properties.x", "{\"class\": \"secret\"}"),
                    400,
                    "invalid_class");
            ApiAssertions.assertError(
                    server.adminSend("PUT", "/v1/admin/fields/nowhere", "{\"class\": \"general\"}"),
                    400,
                    "invalid_path");
            ApiAssertions.assertError(server.admin("/v1/admin/fields?status=new"), 400, "invalid_status");
            assertThat(paths(server.admin("/v1/admin/fields?status=unreviewed").json()))
                    .doesNotContain("properties.loyalty_code");
            server.restart();
            JsonNode after = server.admin("/v1/admin/fields").json().path("fields");
            assertThat(field(after, "properties.loyalty_code")
                            .path("fieldClass")
                            .asText())
                    .isEqualTo("personal");
            assertThat(field(after, "properties.loyalty_code").path("reviewed").asBoolean())
                    .isTrue();
        }
    }

    private static List<String> paths(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("fields").forEach(f -> out.add(f.path("path").asText()));
        return out;
    }

    private static JsonNode field(JsonNode fields, String path) {
        for (JsonNode f : fields) {
            if (f.path("path").asText().equals(path)) {
                return f;
            }
        }
        throw new AssertionError("no field " + path + " in " + fields);
    }
}
