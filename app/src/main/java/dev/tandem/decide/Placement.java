package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.expr.Expression;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A place where an experience is chosen, such as {@code home_hero}: ordered rules (first match
 * wins), a default for everyone else, and optionally an experiment.
 */
public record Placement(
        String key, String name, List<String> owners, List<Rule> rules, Variant fallback, Experiment experiment) {

    /** What a visitor gets: a variant key and its content, any JSON. */
    public record Variant(String key, JsonNode content) {}

    /** When {@code when} holds, the visitor gets {@code variant}. */
    public record Rule(String name, Expression when, Variant variant) {}

    /** Which traits the rules and the experiment's condition read, worked out once: a decision decrypts only those. */
    Predicate<String> traitsRead() {
        List<Expression> all = new ArrayList<>();
        rules.forEach(r -> all.add(r.when()));
        if (experiment != null && experiment.eligible() != null) {
            all.add(experiment.eligible());
        }
        return Expression.traitsRead(all);
    }

    /** Whether any rule or the experiment reads this variable (such as {@code audiences}), so a decision loads it only when needed. */
    boolean reads(String variable) {
        for (Rule r : rules) {
            if (r.when().readsVariable(variable)) {
                return true;
            }
        }
        return experiment != null
                && experiment.eligible() != null
                && experiment.eligible().readsVariable(variable);
    }
}
