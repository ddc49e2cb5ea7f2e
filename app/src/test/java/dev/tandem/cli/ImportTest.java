package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Cli;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code tandem import} against a running server, as a person runs it: CSV and JSON Lines, bad rows, re-runs, resumes. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ImportTest extends ServerPerTest {
    private static final String ORDERS_MAPPING = """
            fields:
              type: { value: track }
              event: { value: Order Completed }
              userId: customer
              timestamp: { from: ordered, format: "dd/MM/yyyy HH:mm", zone: Europe/Paris }
              properties.revenue: { from: total, as: number }
              properties.gift: { from: gift, as: boolean, default: false }
              properties.note: note
            """;

    private final StoreKind store;

    ImportTest(StoreKind store) {
        super(store);
        this.store = store;
    }

    private Cli.Result importFile(Path file, Path mapping, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "import",
                file.toString(),
                "--source",
                "test",
                "--mapping",
                mapping.toString(),
                "--server",
                server.url(),
                "--write-key",
                TestServer.WRITE_KEY));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private List<JsonNode> imported() {
        return server.events().stream()
                .filter(e -> e.path("messageId").asText().startsWith("import-"))
                .toList();
    }

    @Test
    void goodRowsBecomeEventsAndEveryBadOneIsReportedWithItsLine() throws IOException {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        csv.writeBytes(
                ("customer,ordered,total,gift,note\r\n" // line 1
                                + "c-1,01/05/2024 14:30,19.90,yes,plain\r\n" // line 2
                                + "c-2,31/02/2024 10:00,5,no,impossible date\r\n" // line 3
                                + "c-3,02/05/2024 09:00,12.5,,\"a note, with a comma\n and a line break\"\r\n" // lines
                                // 4-5
                                + "c-4,03/05/2024 09:00,7\r\n" // line 6: a column short
                                + "c-5,04/05/2024 09:00,twelve,no,x\r\n" // line 7
                                + ",05/05/2024 09:00,3,no,nobody\r\n" // line 8: Tandem refuses it (no identity)
                                + "\r\n" // line 9: blank, skipped
                                + "c-6,06/05/2024 09:00,4,no,")
                        .getBytes(StandardCharsets.UTF_8));
        csv.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // line 10: not UTF-8
        csv.writeBytes(("\nc-7,07/05/2024 09:00,8,no,\"" + "x".repeat(3_000) + "\"\n" // line 11: too long
                        + "c-8,08/05/2024 09:00,9,TRUE,\"she said \"\"hi\"\"\"\n") // line 12
                .getBytes(StandardCharsets.UTF_8));
        Path file = write("orders.csv", csv.toByteArray());
        Path mapping = write("orders.yaml", ORDERS_MAPPING);

        Cli.Result result = importFile(file, mapping, "--max-row-bytes", "2048");

        assertThat(result.code()).as(result.err()).isEqualTo(1);
        assertThat(result.out())
                .contains(
                        "Imported orders.csv into source 'test': 9 rows, 3 new events, 0 already imported before, 6 rejected")
                .contains("line 3: invalid_timestamp: 'ordered' is not a date-time in the pattern 'dd/MM/yyyy HH:mm'")
                .contains("line 6: wrong_column_count: The row has 3 columns; the header has 5.")
                .contains("line 7: invalid_number: 'total' is not a number")
                .contains("line 8: missing_identity:")
                .contains("line 10: invalid_utf8:")
                .contains("line 11: row_too_large:");
        assertThat(result.err()).contains("100%");
        List<String> report = Files.readAllLines(dir.resolve("orders.csv.rejected.csv"));
        assertThat(report.get(0)).isEqualTo("line,code,column,message");
        assertThat(report.subList(1, report.size()).stream()
                        .map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1))))
                .containsExactly(
                        "3,invalid_timestamp",
                        "6,wrong_column_count",
                        "7,invalid_number",
                        "8,missing_identity",
                        "10,invalid_utf8",
                        "11,row_too_large");
        Map<String, JsonNode> byUser = imported().stream()
                .collect(Collectors.toMap(e -> e.path("userId").asText(), e -> e));
        assertThat(byUser).containsOnlyKeys("c-1", "c-3", "c-8");
        JsonNode first = byUser.get("c-1");
        assertThat(first.path("event").asText()).isEqualTo("Order Completed");
        assertThat(first.path("timestamp").asText()).isEqualTo("2024-05-01T12:30:00.000Z");
        assertThat(first.path("properties").path("revenue").asDouble()).isEqualTo(19.9);
        assertThat(first.path("properties").path("gift").asBoolean()).isTrue();
        assertThat(first.path("context").path("library").path("name").asText()).isEqualTo("tandem-import");
        assertThat(byUser.get("c-3").path("properties").path("note").asText())
                .isEqualTo("a note, with a comma\n and a line break");
        assertThat(byUser.get("c-3").path("properties").path("gift").asBoolean())
                .isFalse();
        assertThat(byUser.get("c-8").path("properties").path("note").asText()).isEqualTo("she said \"hi\"");
        assertThat(server.admin("/v1/quarantine")
                        .json()
                        .path("events")
                        .get(0)
                        .path("reason")
                        .path("code")
                        .asText())
                .isEqualTo("missing_identity");
    }

    @Test
    void aSecondRunOfTheSameFileImportsNothingTwice() throws IOException {
        StringBuilder csv = new StringBuilder("customer,ordered,total,gift,note\n");
        for (int i = 0; i < 1_200; i++) {
            csv.append("c-")
                    .append(i % 37)
                    .append(",01/05/2024 14:30,")
                    .append(i)
                    .append(",no,same row text\n");
        }
        Path file = write("orders.csv", csv.toString());
        Path mapping = write("orders.yaml", ORDERS_MAPPING);

        Cli.Result first = importFile(file, mapping, "--batch", "100");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("1,200 rows, 1,200 new events, 0 already imported before, 0 rejected");
        Cli.Result again = importFile(file, mapping, "--batch", "250");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("1,200 rows, 0 new events, 1,200 already imported before, 0 rejected");
        assertThat(imported()).hasSize(1_200);

        Files.writeString(file, "c-99,02/05/2024 10:00,1,no,appended later\n", java.nio.file.StandardOpenOption.APPEND);
        Cli.Result grown = importFile(file, mapping);
        assertThat(grown.out()).contains("1,201 rows, 1 new events, 1,200 already imported before");
        assertThat(imported()).hasSize(1_201);
    }

    @Test
    void anImportStoppedPartWayContinuesWhereItStoppedWhenRunAgain() throws IOException {
        StringBuilder csv = new StringBuilder("customer,ordered,total,gift,note\n");
        for (int i = 0; i < 50; i++) {
            csv.append("c-").append(i).append(",01/05/2024 14:30,").append(i).append(",no,\n");
        }
        csv.append("c-bad,not a date,1,no,\n");
        Path file = write("orders.csv", csv.toString());
        Path mapping = write("orders.yaml", ORDERS_MAPPING);

        Cli.Result partly = importFile(file, mapping, "--max-rows", "20", "--batch", "7");
        assertThat(partly.code()).as(partly.err()).isZero();
        assertThat(partly.out())
                .contains("Partly imported orders.csv into source 'test': 20 rows, 20 new events")
                .contains("continue at line 22");
        Path state = dir.resolve("orders.csv.import-state.json");
        assertThat(state).exists();
        assertThat(imported()).hasSize(20);

        Cli.Result rest = importFile(file, mapping, "--batch", "7");
        assertThat(rest.code()).isEqualTo(1);
        assertThat(rest.out())
                .contains("Continued the interrupted import at line 22.")
                .contains("51 rows, 50 new events, 0 already imported before, 1 rejected (31 rows in")
                .contains("line 52: invalid_timestamp");
        assertThat(state).doesNotExist();
        assertThat(imported()).hasSize(50);
        assertThat(imported().stream().map(e -> e.path("userId").asText()).distinct())
                .hasSize(50);
    }

    @Test
    void jsonLinesMapNestedFieldsConvertValuesAndReportBadLines() throws IOException {
        Path file = write("signups.jsonl", """
                {"user": {"id": 41, "email": "ann@example.com"}, "at": 1714566600, "plan": "pro", "seats": "3", "trial": true}
                {"user": {"id": 42}, "at": "yesterday", "plan": "free"}
                not json at all
                [1, 2, 3]
                {"user": {"id": 43}, "at": 1714566600} trailing

                {"user": {"id": 44}, "at": 1714566601, "plan": "team", "seats": 2, "region": "eu"}
                """);
        Path mapping = write("signups.yaml", """
                unmapped: traits
                fields:
                  type: { value: identify }
                  userId: user.id
                  traits.email: user.email
                  timestamp: { from: at, format: unix }
                  traits.seats: { from: seats, as: integer }
                """);

        Cli.Result result = importFile(file, mapping);

        assertThat(result.code()).as(result.err()).isEqualTo(1);
        assertThat(result.out())
                .contains("6 rows, 2 new events, 0 already imported before, 4 rejected")
                .contains("line 2: invalid_timestamp: 'at' is not seconds since 1970")
                .contains("line 3: invalid_json: The line is not valid JSON")
                .contains("line 4: not_an_object:")
                .contains("line 5: invalid_json:");
        Map<String, JsonNode> byUser = imported().stream()
                .collect(Collectors.toMap(e -> e.path("userId").asText(), e -> e));
        assertThat(byUser).containsOnlyKeys("41", "44");
        JsonNode ann = byUser.get("41");
        assertThat(ann.path("type").asText()).isEqualTo("identify");
        assertThat(ann.path("timestamp").asText()).isEqualTo("2024-05-01T12:30:00.000Z");
        assertThat(ann.path("traits").path("email").asText()).isEqualTo("ann@example.com");
        assertThat(ann.path("traits").path("seats").isIntegralNumber()).isTrue();
        assertThat(ann.path("traits").path("seats").asInt()).isEqualTo(3);
        assertThat(ann.path("traits").path("plan").asText()).isEqualTo("pro");
        assertThat(ann.path("traits").path("trial").asBoolean()).isTrue();
        assertThat(ann.path("traits").has("user"))
                .as("a field the mapping reads is not copied again")
                .isFalse();
        assertThat(byUser.get("44").path("traits").path("region").asText()).isEqualTo("eu");
    }

    @Test
    void aBadMappingIsRefusedWithItsLineBeforeAnythingIsSent() throws IOException {
        Path file = write("orders.csv", "customer\nc-1\n");
        Cli.Result unknown = importFile(file, write("a.yaml", "fields:\n  type: { value: track }\n  evnt: name\n"));
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("a.yaml line 3").contains("'evnt' is not an event field");
        Cli.Result noType = importFile(file, write("b.yaml", "fields:\n  userId: customer\n"));
        assertThat(noType.err()).contains("the mapping must set 'type'");
        Cli.Result badType =
                importFile(file, write("c.yaml", "fields:\n  type: { value: purchase }\n  userId: customer\n"));
        assertThat(badType.err()).contains("'type' must be one of");
        Cli.Result badPattern = importFile(
                file,
                write(
                        "d.yaml",
                        "fields:\n  type: { value: track }\n  timestamp: { from: customer, format: \"dd/MM/yyyy qqqqqq\" }\n"));
        assertThat(badPattern.err()).contains("'format' must be iso, unix, unix_ms or a date-time pattern");
        Cli.Result noColumn =
                importFile(file, write("e.yaml", "fields:\n  type: { value: track }\n  userId: client\n"));
        assertThat(noColumn.err())
                .contains("reads the column 'client', which the file does not have; its columns are [customer]");
        assertThat(imported()).isEmpty();
    }

    @Test
    void theWriteKeyIsLookedUpByTheSourceNameWithTheAdminToken() throws IOException {
        Path file = write("people.csv", "id,email\nu-1,ann@example.com\n");
        Path mapping =
                write("people.yaml", "fields:\n  type: { value: identify }\n  userId: id\n  traits.email: email\n");
        String[] base = {"import", file.toString(), "--mapping", mapping.toString(), "--server", server.url()};

        Cli.Result noKey = Cli.run(concat(base, "--source", "test"));
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("Pass the write key of source 'test' with --write-key, or an admin token");
        Cli.Result unknown = Cli.run(concat(base, "--source", "crm", "--token", TestServer.ADMIN_TOKEN));
        assertThat(unknown.err()).contains("No source is named 'crm'; the sources are [test]");
        Cli.Result wrongKey = Cli.run(concat(base, "--source", "test", "--write-key", "wk_not_a_key"));
        assertThat(wrongKey.code()).isEqualTo(2);
        assertThat(wrongKey.err()).contains("Tandem refused a batch with 401").contains("Check --write-key");
        assertThat(dir.resolve("people.csv.import-state.json"))
                .as("nothing was acknowledged")
                .doesNotExist();

        Cli.Result looked = Cli.run(concat(base, "--source", "test", "--token", TestServer.ADMIN_TOKEN));
        assertThat(looked.code()).as(looked.err()).isZero();
        assertThat(imported())
                .singleElement()
                .satisfies(
                        e -> assertThat(e.path("traits").path("email").asText()).isEqualTo("ann@example.com"));
    }

    @Test
    void anEmptyFileAndAHeaderOnlyFileImportNothing() throws IOException {
        Path mapping = write("m.yaml", "fields:\n  type: { value: identify }\n  userId: id\n");
        Cli.Result empty = importFile(write("empty.csv", ""), mapping);
        assertThat(empty.code()).as(empty.err()).isZero();
        assertThat(empty.out()).contains("holds no rows; nothing to import");
        Cli.Result header = importFile(write("header.csv", "id\r\n"), mapping);
        assertThat(header.out()).contains("holds no rows");
        Cli.Result utf16 =
                importFile(write("utf16.csv", new byte[] {(byte) 0xFF, (byte) 0xFE, 'i', 0, 'd', 0}), mapping);
        assertThat(utf16.code()).isEqualTo(2);
        assertThat(utf16.err()).contains("UTF-16").contains("save it as UTF-8");
        Cli.Result dry = importFile(write("dry.csv", "id\nu-1\nu-2\n"), mapping, "--dry-run");
        assertThat(dry.out()).contains("Dry run of dry.csv into source 'test': 2 rows, 2 would be sent");
        assertThat(imported()).isEmpty();
    }

    @Test
    void anOverloadedServersRetryAfterIsHonouredAndEveryRowArrivesOnce() throws IOException {
        StringBuilder csv = new StringBuilder("customer,ordered,total,gift,note\n");
        for (int i = 0; i < 16_000; i++) {
            csv.append("c-").append(i).append(",01/05/2024 14:30,").append(i).append(",no,\n");
        }
        Path file = write("orders.csv", csv.toString());
        Path mapping = write("orders.yaml", ORDERS_MAPPING);
        try (TestServer busy = TestServer.start(
                store,
                Files.createDirectories(dir.resolve("busy")),
                java.time.Clock.systemUTC(),
                Map.of("maxPendingEvents", "1000"))) {
            Cli.Result result = Cli.run(
                    "import",
                    file.toString(),
                    "--source",
                    "test",
                    "--mapping",
                    mapping.toString(),
                    "--server",
                    busy.url(),
                    "--write-key",
                    TestServer.WRITE_KEY,
                    "--batch",
                    "1000",
                    "--connections",
                    "8");
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.err()).contains("Tandem answered 429").contains("retrying in 1 s");
            assertThat(result.out()).contains("16,000 rows, 16,000 new events, 0 already imported before, 0 rejected");
            assertThat(busy.events()).hasSize(16_000);
        }
    }

    @Test
    void anImportInterruptedMidWayIsContinuedAndNoRowIsStoredTwice() throws Exception {
        StringBuilder csv = new StringBuilder("customer,ordered,total,gift,note\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("c-").append(i).append(",01/05/2024 14:30,").append(i).append(",no,\n");
        }
        Path file = write("orders.csv", csv.toString());
        Path mapping = write("orders.yaml", ORDERS_MAPPING);
        Path state = dir.resolve("orders.csv.import-state.json");
        Thread running =
                Thread.ofPlatform().start(() -> importFile(file, mapping, "--batch", "20", "--connections", "2"));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Files.exists(state));
        running.interrupt();
        running.join(30_000);
        assertThat(running.isAlive()).isFalse();
        assertThat(state).as("the interrupted import left its state").exists();
        int before = imported().size();
        assertThat(before).isLessThan(20_000);

        Cli.Result rest = importFile(file, mapping, "--batch", "500");
        assertThat(rest.code()).as(rest.err()).isZero();
        assertThat(rest.out())
                .contains("Continued the interrupted import at line")
                .contains("20,000 rows");
        assertThat(state).doesNotExist();
        List<JsonNode> all = imported();
        assertThat(all).hasSize(20_000);
        assertThat(all.stream().map(e -> e.path("userId").asText()).distinct()).hasSize(20_000);
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
