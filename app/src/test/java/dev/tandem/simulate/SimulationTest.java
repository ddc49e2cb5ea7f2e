package dev.tandem.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.Json;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator sends messy multi-channel customers to a real server, and its truth file accounts for every event. */
class SimulationTest {
    @TempDir
    Path dir;

    @Test
    void everySimulatedEventIsStoredAndTheTruthAccountsForIt() throws Exception {
        ObjectMapper mapper = Json.mapper();
        Path truth = dir.resolve("truth.jsonl");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir.resolve("data"))) {
            Simulation.Summary summary = new Simulation(200, 10, 0, server.url(), TestServer.WRITE_KEY, truth, 42)
                    .run(mapper, Clock.systemUTC(), new PrintStream(progress, true));
            List<JsonNode> events = server.events();
            assertThat(summary.rejected()).isZero();
            assertThat(events).hasSize(summary.sent());
            assertThat(progress.toString()).contains("sent " + String.format("%,d", summary.sent()));

            List<JsonNode> people = Files.readAllLines(truth).stream()
                    .map(line -> read(mapper, line))
                    .toList();
            assertThat(people).hasSize(200);
            Set<String> truthIds = new HashSet<>();
            people.forEach(p -> p.get("messageIds").forEach(id -> truthIds.add(id.asText())));
            assertThat(events.stream().map(e -> e.get("messageId").asText()).collect(Collectors.toSet()))
                    .isEqualTo(truthIds);

            Set<String> types = events.stream().map(e -> e.get("type").asText()).collect(Collectors.toSet());
            assertThat(types).contains("identify", "track", "page", "screen");
            Set<String> names = events.stream()
                    .filter(e -> e.has("event"))
                    .map(e -> e.get("event").asText())
                    .collect(Collectors.toSet());
            assertThat(names)
                    .contains(
                            "Product Viewed",
                            "Order Completed",
                            "Survey Answered",
                            "Call Completed",
                            "Email Link Clicked",
                            "Application Opened",
                            "Voice Command Received");

            List<String> emails = events.stream()
                    .map(e -> e.at("/context/traits/email")
                            .asText(e.at("/traits/email").asText()))
                    .filter(s -> !s.isEmpty())
                    .toList();
            assertThat(emails)
                    .anyMatch(e -> !e.equals(e.trim()))
                    .anyMatch(e -> !e.equals(e.toLowerCase()))
                    .anyMatch(e ->
                            e.equals("test@test.com") || e.equals("noemail@example.com") || e.equals("none@none.com"));
            List<String> phones = events.stream()
                    .map(e -> e.at("/context/traits/phone").asText())
                    .filter(s -> !s.isEmpty())
                    .toList();
            assertThat(phones)
                    .anyMatch(p -> p.startsWith("("))
                    .anyMatch(p -> p.startsWith("+1 "))
                    .anyMatch(p -> p.matches("\\d{10}"));

            Map<String, Integer> sharedBy = new HashMap<>();
            people.stream()
                    .filter(p -> p.has("shared"))
                    .forEach(p -> sharedBy.merge(p.at("/shared/device_id").asText(), 1, Integer::sum));
            assertThat(sharedBy.values()).contains(2);
            assertThat(events)
                    .anyMatch(e -> !e.get("timestamp")
                            .asText()
                            .equals(e.get("receivedAt").asText()));
        }
    }

    private static JsonNode read(ObjectMapper mapper, String line) {
        try {
            return mapper.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
