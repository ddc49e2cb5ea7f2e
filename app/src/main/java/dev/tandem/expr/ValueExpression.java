package dev.tandem.expr;

import dev.cel.common.exceptions.CelIterationLimitExceededException;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A compiled CEL expression that yields a value of any type (a text, a number, a map, a list, a
 * timestamp), as a mapping uses it. Thread-safe. A failure on one input (a missing key, a type
 * mismatch) is an outcome that names the problem, never an exception.
 */
public final class ValueExpression {
    private final String source;
    private final CelRuntime.Program program;
    private final LongAdder overBudget;

    ValueExpression(String source, CelRuntime.Program program, LongAdder overBudget) {
        this.source = source;
        this.program = program;
        this.overBudget = overBudget;
    }

    public String source() {
        return source;
    }

    /** The value, or why there is none; CEL's null comes back as a value of {@code NullValue}. */
    public Outcome evaluate(Map<String, Object> variables) {
        try {
            CelVariableResolver resolver = name -> Optional.ofNullable(variables.get(name));
            return new Outcome(program.eval(resolver), null);
        } catch (CelEvaluationException e) {
            if (e.getCause() instanceof CelIterationLimitExceededException) {
                overBudget.increment();
                return new Outcome(
                        null, "the evaluation ran past " + Expressions.MAX_ITERATIONS + " comprehension iterations");
            }
            return new Outcome(null, e.getMessage());
        }
    }

    /** The value an evaluation gave, or the error that stopped it (then the value is null). */
    public record Outcome(Object value, String error) {
        public boolean failed() {
            return error != null;
        }
    }
}
