package dev.tandem.expr;

import dev.cel.common.exceptions.CelIterationLimitExceededException;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A compiled CEL expression that yields a boolean. {@link #reads} names what it reads, as
 * {@code traits.plan} for one key of a map or {@code traits} for the whole of a variable, so that
 * callers re-evaluate it only when one of those changed. Thread-safe.
 */
public final class Expression {
    private final String source;
    private final CelRuntime.Program program;
    /** The condition's common shape answered without CEL's interpreter, or null (see {@link Shortcut}). */
    private final Shortcut.Node shortcut;
    /** CEL's outcome when the one key a one-test condition reads is missing, once known (see {@link #missingKey}). */
    private volatile Outcome missingKeyOutcome;

    private final Set<String> reads;
    private final Set<String> variables;
    private final long cost;
    private final LongAdder overBudget;

    Expression(
            String source,
            CelRuntime.Program program,
            Shortcut.Node shortcut,
            Set<String> reads,
            long cost,
            LongAdder overBudget) {
        this.source = source;
        this.program = program;
        this.shortcut = shortcut;
        this.reads = reads;
        this.cost = cost;
        this.overBudget = overBudget;
        this.variables = reads.stream()
                .map(r -> r.contains(".") ? r.substring(0, r.indexOf('.')) : r)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Whether the expression reads the variable at all, whole or a key of it. */
    public boolean readsVariable(String variable) {
        return variables.contains(variable);
    }

    /**
     * Which traits any of {@code expressions} reads, worked out once: scans and the processor ask it
     * for every encrypted trait of every profile, so the answer must not build strings per call.
     */
    public static Predicate<String> traitsRead(Collection<Expression> expressions) {
        Set<String> names = new HashSet<>();
        for (Expression e : expressions) {
            for (String read : e.reads) {
                if (read.equals("traits")) {
                    return name -> true;
                }
                if (read.startsWith("traits.")) {
                    names.add(read.substring("traits.".length()));
                }
            }
        }
        return Set.copyOf(names)::contains;
    }

    public String source() {
        return source;
    }

    public Set<String> reads() {
        return reads;
    }

    /** The worst-case steps estimated from the syntax (see {@link Expressions#MAX_COST}). */
    public long cost() {
        return cost;
    }

    /**
     * Evaluates against the variables of one profile or request. A runtime failure (a missing
     * trait, a type mismatch in a dynamic value) is an outcome, not an exception, so that one odd
     * profile never stops the evaluation of the others.
     */
    public Outcome evaluate(Map<String, Object> variables) {
        if (shortcut != null) {
            int answer = shortcut.test(variables);
            if (answer != Shortcut.UNKNOWN) {
                return answer == Shortcut.TRUE ? Outcome.TRUE : Outcome.FALSE;
            }
            if (shortcut instanceof Shortcut.Atom atom && atom.missing(variables)) {
                return missingKey(variables);
            }
        }
        return evaluateWithCel(variables);
    }

    /**
     * CEL's failure for a condition of one test whose key the profile lacks ({@code
     * traits.plan == "pro"} without a plan), worked out once. Why: it is the same failure, word for
     * word, for every such profile, and CEL builds it as an exception with a formatted message each
     * time, which was a tenth of a decision's time when many rules read a trait most visitors lack.
     */
    private Outcome missingKey(Map<String, Object> variables) {
        Outcome known = missingKeyOutcome;
        if (known != null) {
            return known;
        }
        Outcome outcome = evaluateWithCel(variables);
        if (outcome.failed()) {
            missingKeyOutcome = outcome; // a benign race: every thread computes the same outcome
        }
        return outcome;
    }

    /** The shortcut, or null when CEL answers every evaluation; for the tests. */
    Shortcut.Node shortcut() {
        return shortcut;
    }

    /** Evaluates with CEL's interpreter alone: what {@link #evaluate} answers, the long way (the tests compare them). */
    Outcome evaluateWithCel(Map<String, Object> variables) {
        try {
            // through a resolver: eval(Map) copies the whole map on every call, which cost 40% of an evaluation
            CelVariableResolver resolver = name -> Optional.ofNullable(variables.get(name));
            return program.eval(resolver) instanceof Boolean b && b ? Outcome.TRUE : Outcome.FALSE;
        } catch (CelEvaluationException e) {
            if (e.getCause() instanceof CelIterationLimitExceededException) {
                overBudget.increment();
                return new Outcome(
                        false,
                        "the evaluation ran past " + Expressions.MAX_ITERATIONS
                                + " comprehension iterations and was stopped; it counts as not holding");
            }
            return new Outcome(false, e.getMessage());
        }
    }

    /** Whether the expression held; {@code error} says why it could not be evaluated, or is null. */
    public record Outcome(boolean matched, String error) {
        public static final Outcome TRUE = new Outcome(true, null);
        static final Outcome FALSE = new Outcome(false, null);

        public boolean failed() {
            return error != null;
        }
    }
}
