package dev.tandem.simulate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Survey answers after orders, for the shared KPIs: an NPS question and a CSAT question about one
 * touchpoint (checkout, delivery, support, app), by email or in the app. Delivery disappoints (most
 * answers 2 to 7), the app pleases (most 8 to 10), checkout and support are in between, so the demo's
 * perception gap has something to show. Drawn from a random stream of their own, so the rest of the
 * simulation is the same with or without them.
 */
final class Surveys {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[] TOUCHPOINTS = {"checkout", "delivery", "support", "app"};
    /** Lowest and highest NPS score most answers fall in, per touchpoint. */
    private static final int[][] NPS = {{5, 10}, {1, 8}, {3, 10}, {7, 10}};

    private final SplittableRandom random;
    private final Instant start;
    private final int days;

    Surveys(long seed, Instant start, int days) {
        this.random = new SplittableRandom(seed ^ 0x5_7e75L);
        this.start = start;
        this.days = days;
    }

    List<SimulatedEvent> of(List<Customer> customers) {
        List<SimulatedEvent> out = new ArrayList<>();
        for (Customer c : customers) {
            int answers = random.nextInt(c.loyal() ? 4 : 2);
            for (int i = 0; i < answers; i++) {
                Instant at = start.plus(Duration.ofDays(random.nextInt(days)))
                        .plusSeconds(random.nextInt(8 * 3600, 22 * 3600));
                int t = random.nextInt(TOUCHPOINTS.length);
                // nine in ten answers within the touchpoint's range, the rest anywhere on the scale
                int score = random.nextInt(10) < 9 ? random.nextInt(NPS[t][0], NPS[t][1] + 1) : random.nextInt(11);
                String channel = random.nextBoolean() ? "email" : "app";
                out.add(new SimulatedEvent(
                        at, c.personId(), survey(c, "NPS", score, TOUCHPOINTS[t], channel), Duration.ZERO));
                int csat = Math.max(1, Math.min(5, (score + 1) / 2 + random.nextInt(-1, 2)));
                out.add(new SimulatedEvent(
                        at.plusSeconds(30),
                        c.personId(),
                        survey(c, "CSAT", csat, TOUCHPOINTS[t], channel),
                        Duration.ZERO));
            }
        }
        return out;
    }

    private static ObjectNode survey(Customer c, String survey, int score, String touchpoint, String channel) {
        ObjectNode e = JSON.objectNode()
                .put("type", "track")
                .put("messageId", UUID.randomUUID().toString())
                .put("userId", c.userId())
                .put("event", "Survey Answered");
        e.putObject("properties").put("survey", survey).put("score", score).put("touchpoint", touchpoint);
        e.putObject("context").put("channel", channel);
        return e;
    }
}
