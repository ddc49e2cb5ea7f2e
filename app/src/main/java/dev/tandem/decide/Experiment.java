package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.expr.Expression;
import java.util.List;

/**
 * An experiment on a placement, against its default: visitors no rule matched who are
 * {@code eligible} (everyone when null) are split by weight between arms; the control arm gets
 * the placement's default, the other arms their own content. {@code goal} is the event name that counts as a
 * conversion.
 */
public record Experiment(String key, String name, String goal, Expression eligible, List<Arm> arms) {

    /** One arm: {@code content} is null for the control. */
    public record Arm(String key, int weight, boolean control, JsonNode content) {}

    int totalWeight() {
        return arms.stream().mapToInt(Arm::weight).sum();
    }

    Arm arm(String key) {
        return arms.stream().filter(a -> a.key().equals(key)).findFirst().orElse(null);
    }

    Arm control() {
        return arms.stream().filter(Arm::control).findFirst().orElseThrow();
    }
}
