package dev.tandem.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Vocabulary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The stage skips an event whose name a KPI's condition does not need without evaluating it; for
 * random conditions (comparisons of the name, properties, joined by {@code &&}, {@code ||}, {@code !}
 * and {@code ?:}, with and without parentheses), whenever {@link EventNames#needed} names an event,
 * the condition holds for no event of another name.
 */
class EventNamesPropertyTest {
    private static final Expressions EXPRESSIONS = new Expressions();
    private static final List<String> NAMES = List.of("Survey Answered", "Order Completed", "Page", "");
    private static final List<String> ATOMS = List.of(
            "event == 'Survey Answered'",
            "event == \"Order Completed\"",
            "event != 'Page'",
            "'Survey Answered' == event",
            "event.startsWith('Order')",
            "properties.score > 5",
            "has(properties.score)",
            "type == 'track'",
            "true",
            "false");

    @Provide
    Arbitrary<String> conditions() {
        return condition(3);
    }

    private static Arbitrary<String> condition(int depth) {
        Arbitrary<String> atom = Arbitraries.of(ATOMS);
        if (depth == 0) {
            return atom;
        }
        Arbitrary<String> inner = condition(depth - 1);
        return Arbitraries.oneOf(
                atom,
                Combinators.combine(atom, inner, Arbitraries.of(" && ", " || ", "&&"))
                        .as((a, b, op) -> a + op + b),
                Combinators.combine(inner, atom, Arbitraries.of(" && ", " || ")).as((a, b, op) -> a + op + b),
                inner.map(c -> "!(" + c + ")"),
                inner.map(c -> "(" + c + ")"),
                Combinators.combine(atom, inner, inner).as((a, b, c) -> a + " ? " + b + " : " + c));
    }

    @Property(tries = 400)
    void aNamedConditionHoldsForNoOtherName(@ForAll("conditions") String condition) {
        String needed = EventNames.needed(condition);
        if (needed == null) {
            return;
        }
        Expression e = EXPRESSIONS.compile(condition, Vocabulary.KPI, "events");
        for (String name : NAMES) {
            for (Object score : new Object[] {3L, 9L}) {
                Map<String, Object> vars = new HashMap<>();
                vars.put("event", name);
                vars.put("type", name.equals("Page") ? "page" : "track");
                vars.put("properties", Map.of("score", score));
                vars.put("context", Map.of());
                vars.put("traits", Map.of());
                vars.put("audiences", List.of());
                if (!name.equals(needed)) {
                    assertThat(e.evaluate(vars).matched())
                            .as(condition + " for '" + name + "'")
                            .isFalse();
                }
            }
        }
    }

    @Example
    void theCommonShapesAreNarrowedAndTheOthersAreNot() {
        assertThat(EventNames.needed("event == 'Survey Answered' && properties.survey == 'nps'"))
                .isEqualTo("Survey Answered");
        assertThat(EventNames.needed(" event==\"Order Completed\" ")).isEqualTo("Order Completed");
        assertThat(EventNames.needed("event == 'A' || event == 'B'")).isNull();
        assertThat(EventNames.needed("event == 'A' && properties.x ? true : true"))
                .isNull();
        assertThat(EventNames.needed("event == 'A\\'s'")).isNull();
        assertThat(EventNames.needed("properties.score > 5")).isNull();
    }
}
