package dev.tandem.journey;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.Json;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What journey tests share: a webhook destination's declaration, sending profiles in batches, the receiver's messages deduplicated by id. */
final class Journeys {
    static final ObjectMapper MAPPER = Json.mapper();

    private Journeys() {}

    static String destination(Receiver receiver) {
        return """
                destinations:
                  - key: email_tool
                    type: webhook
                    owners: [it]
                    settings: { url: "%s", secret: "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", maxBatch: 500 }
                    purposes: [email_marketing]
                """.formatted(receiver.url("/email"));
    }

    /** Sends events in batches of 500 through /v1/batch. */
    static void send(TestServer server, List<String> events) {
        for (int from = 0; from < events.size(); from += 500) {
            String body = "{\"batch\": [" + String.join(",", events.subList(from, Math.min(events.size(), from + 500)))
                    + "]}";
            var r = server.track("/v1/batch", body);
            if (r.status() / 100 != 2) {
                throw new AssertionError("batch refused: " + r.status() + " " + r.body());
            }
        }
    }

    static String identify(String user, boolean consent, String traits) {
        return """
                {"type": "identify", "userId": "%s", "messageId": "id-%s-%s", "traits": %s,
                 "context": {"consent": {"categoryPreferences": {"marketing": %s}}}}""".formatted(user, user, consent, traits, consent);
    }

    static String track(String user, String event, String messageId, String properties) {
        return """
                {"type": "track", "userId": "%s", "event": "%s", "messageId": "%s", "properties": %s}""".formatted(user, event, messageId, properties);
    }

    /** The messages the receiver acknowledged, one per message id (a resend counts once). */
    static Map<String, JsonNode> received(Receiver receiver) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Receiver.Request r : receiver.requests()) {
            if (r.status() / 100 != 2) {
                continue;
            }
            try {
                MAPPER.readTree(r.body())
                        .path("batch")
                        .forEach(m -> out.putIfAbsent(m.path("messageId").asText(), m));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** Templates each user received, in the order sent. */
    static Map<String, List<String>> templates(Receiver receiver) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (JsonNode m : received(receiver).values()) {
            out.computeIfAbsent(m.path("userId").asText(), u -> new ArrayList<>())
                    .add(m.path("properties").path("message").path("template").asText());
        }
        return out;
    }

    static JsonNode stats(TestServer server, String journey) {
        return server.admin("/v1/journeys/" + journey + "/stats").json();
    }

    static JsonNode step(JsonNode stats, String step) {
        for (JsonNode s : stats.path("steps")) {
            if (s.path("step").asText().equals(step)) {
                return s;
            }
        }
        throw new AssertionError("no step " + step + " in " + stats);
    }

    static void until(TestServer server, String journey, Predicate<JsonNode> holds) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> holds.test(stats(server, journey)));
    }

    static long sent(JsonNode stats) {
        long n = 0;
        for (JsonNode s : stats.path("steps")) {
            n += s.path("sent").asLong();
        }
        return n;
    }
}
