package dev.tandem.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.expr.Expressions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tandem's own rule on a journey's reach: a launch or edit whose dry run would enter 10,000
 * profiles or more is high; fewer, or a journey without a dry run (a tandem.yaml edit read at
 * start, before any data can be read), stays medium rather than failing towards high.
 */
class JourneyReachRuleTest {
    private final ChangeRules rules = ChangeRules.defaults(new Expressions());

    private static Map<String, Object> change(String action, Long reach) {
        Map<String, Object> c = new HashMap<>();
        c.put("kind", "journey");
        c.put("key", "welcome");
        c.put("action", action);
        c.put("origin", "api");
        c.put("fields", List.of("steps"));
        c.put("object", Map.of());
        c.put("previous", Map.of());
        c.put("author", Map.of("caller", "ann", "person", "ann", "side", "marketing"));
        if (reach != null) {
            c.put("reach", reach);
        }
        return c;
    }

    @Test
    void highReachRaisesTheTier() {
        ChangeRules.Assessed wide = rules.assess(change("create", 10_000L));
        assertThat(wide.tier()).isEqualTo(Tier.HIGH);
        assertThat(wide.rule()).isEqualTo("journey-high-reach");
        assertThat(rules.assess(change("update", 250_000L)).tier()).isEqualTo(Tier.HIGH);
        assertThat(rules.assess(change("create", 9_999L)).tier()).isEqualTo(Tier.MEDIUM);
        assertThat(rules.assess(change("delete", 50_000L)).tier()).isEqualTo(Tier.MEDIUM);
        assertThat(rules.assess(change("create", null)).tier()).isEqualTo(Tier.MEDIUM);
    }
}
