package dev.tandem.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The whole path under fire: batches mixing good events with hostile ones (times at and past the
 * edges, huge and non-finite numbers, deep objects, lone surrogates, control characters, odd types
 * in every field) go through HTTP to one server. Every batch is answered 200; every good event is
 * accepted, stored and applied; every hostile one is accepted or refused with a reason; and the
 * processor is running at the end with nothing failing and anything set aside explained.
 */
class HostileBatchFuzzTest {
    private static final String[] FIELDS = {
        "type",
        "userId",
        "anonymousId",
        "event",
        "messageId",
        "timestamp",
        "originalTimestamp",
        "sentAt",
        "traits",
        "properties",
        "context",
        "integrations",
        "groupId",
        "previousId",
        "name",
        "category"
    };
    private static final String DEEP = "{\"a\":".repeat(80) + "1" + "}".repeat(80);
    private static final String[] ODD = {
        "null",
        "true",
        "0",
        "-1",
        "1.5",
        "1e308",
        "-1e308",
        "1e309",
        "-1e309",
        "4.9e-324",
        "123456789012345678901234567890",
        "\"\"",
        "\" \"",
        "\"x\"",
        "[]",
        "{}",
        "[1,[2,[3]]]",
        DEEP,
        "\"\\ud800\"",
        "\"a\\udc00b\"",
        "\"\\u0000\"",
        "\"\\u0007bell\"",
        "\"2024-01-01T00:00:00Z\"",
        "\"-999999999-01-01T00:00:00Z\"",
        "\"+999999999-12-31T23:59:59Z\"",
        "\"1899-12-31T23:59:59Z\"",
        "\"1900-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59.999Z\"",
        "\"0000-01-01T00:00:00Z\"",
        "\"2024-02-30T00:00:00Z\"",
        "\"not a time\"",
        "\"2024-01-01T25:00:00+99:00\"",
        "{\"email\":{\"nested\":[1e308,null,{}]}}",
        "{\"revenue\":1e309}",
        "{\"revenue\":-1e308,\"total\":\"12\"}",
        "{\"consent\":{\"categoryPreferences\":\"yes\"}}",
        "{\"consent\":{\"tcfString\":42}}",
        "{\"email\":\"Ann@Example.com\",\"phone\":[\"+1\"]}",
        "\"" + "a".repeat(3_000) + "\"",
        "\"\\ud83d\\ude00\"",
        "{\"\":{\"\":[]}}",
        "{\"context\":" + DEEP + "}",
        "{\"k\\u0000\":1}",
        "9".repeat(400),
        "{\"email\":\"a\\u0000@example.com\"}"
    };
    private static final String[] TYPES = {"identify", "track", "page", "screen", "group", "alias"};

    private static TestServer sqlite;
    private static TestServer postgres;

    @BeforeContainer
    static void start() throws IOException {
        sqlite = TestServer.start(StoreKind.SQLITE, Files.createTempDirectory("tandem-fuzz"));
        postgres = TestServer.start(StoreKind.POSTGRESQL, Files.createTempDirectory("tandem-fuzz-pg"));
    }

    @AfterContainer
    static void stop() {
        sqlite.close();
        postgres.close();
    }

    /** One event of a batch: its JSON text, and the user id when it is a good one. */
    record Event(String json, String goodUser) {}

    @Property(tries = 80)
    void onSqliteEveryGoodEventIsKeptAndEveryBadOneCostsOnlyItself(@ForAll("batches") List<Event> batch) {
        check(sqlite, batch);
    }

    /** PostgreSQL refuses some text SQLite keeps (NUL), so the same attack runs against it too. */
    @Property(tries = 60)
    void onPostgresEveryGoodEventIsKeptAndEveryBadOneCostsOnlyItself(@ForAll("batches") List<Event> batch) {
        check(postgres, batch);
    }

    private static void check(TestServer server, List<Event> batch) {
        String body = "{\"batch\":["
                + String.join(",", batch.stream().map(Event::json).toList()) + "]}";
        Http.Response response = server.track("/v1/batch", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Set<Integer> refused = new HashSet<>();
        for (JsonNode r : response.json().get("rejected")) {
            refused.add(r.get("index").asInt());
            assertThat(r.get("code").asText()).isNotBlank();
            assertThat(r.get("message").asText()).isNotBlank();
        }
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).goodUser() != null) {
                assertThat(refused).as("good event %d of %s", i, body).doesNotContain(i);
            }
        }
        assertThat(response.json().get("accepted").asInt()).isEqualTo(batch.size() - refused.size());
        server.awaitProcessed();
        for (Event e : batch) {
            if (e.goodUser() != null) {
                assertThat(server.profile("user_id:" + e.goodUser(), "traits").status())
                        .as(e.goodUser())
                        .isEqualTo(200);
            }
        }
        JsonNode processor = server.admin("/v1/admin/processor").json();
        assertThat(processor.get("state").asText()).as(processor.toString()).isEqualTo("running");
        assertThat(processor.get("lastError").isNull()).as(processor.toString()).isTrue();
        for (JsonNode setAside :
                server.admin("/v1/admin/processor/set-aside?limit=1000").json().get("events")) {
            assertThat(setAside.get("reason").asText()).isNotBlank();
            assertThat(setAside.get("stage").asText()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<List<Event>> batches() {
        return Arbitraries.oneOf(good(), hostile()).list().ofMinSize(1).ofMaxSize(20);
    }

    private static Arbitrary<Event> good() {
        return Arbitraries.of(TYPES).map(type -> {
            String user = "good-" + UUID.randomUUID();
            String json = switch (type) {
                case "identify" ->
                    "{\"type\":\"identify\",\"userId\":\"" + user + "\",\"traits\":{\"email\":\"" + user
                            + "@example.com\",\"plan\":\"pro\"}}";
                case "group" -> "{\"type\":\"group\",\"userId\":\"" + user + "\",\"groupId\":\"acme\"}";
                case "alias" -> "{\"type\":\"alias\",\"userId\":\"" + user + "\",\"previousId\":\"anon-" + user + "\"}";
                default ->
                    "{\"type\":\"" + type + "\",\"userId\":\"" + user + "\",\"event\":\"Fuzz\",\"name\":\"Home\","
                            + "\"properties\":{\"revenue\":12.5},\"timestamp\":\"2026-01-01T00:00:00Z\"}";
            };
            return new Event(json, user);
        });
    }

    private static Arbitrary<Event> hostile() {
        Arbitrary<Map<String, String>> overrides = Combinators.combine(Arbitraries.of(FIELDS), Arbitraries.of(ODD))
                .as(Map::entry)
                .list()
                .ofMinSize(1)
                .ofMaxSize(5)
                .map(entries -> {
                    Map<String, String> fields = new LinkedHashMap<>();
                    entries.forEach(e -> fields.put(e.getKey(), e.getValue()));
                    return fields;
                });
        return Combinators.combine(Arbitraries.of(TYPES), overrides).as((type, odd) -> {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("type", "\"" + type + "\"");
            fields.put("userId", "\"hostile-" + UUID.randomUUID() + "\"");
            fields.put("event", "\"Hostile\"");
            fields.putAll(odd);
            List<String> members = new ArrayList<>();
            fields.forEach((k, v) -> members.add("\"" + k + "\":" + v));
            return new Event("{" + String.join(",", members) + "}", null);
        });
    }
}
