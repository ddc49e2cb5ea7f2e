package dev.tandem.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.tandem.error.BadRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Compiles CEL expressions for one {@link Vocabulary} and caches them by their text, so a rule
 * read on every request compiles once. Ints and doubles compare with each other ({@code
 * traits.ltv > 100} works whether the trait arrived as 150 or 150.0).
 */
public final class Expressions {
    /** Worst-case steps an expression may take, as {@link Cost} estimates them when it is saved. */
    public static final long MAX_COST = 100_000;
    /** Comprehension iterations one evaluation may run, all comprehensions together; past it the evaluation fails. */
    public static final int MAX_ITERATIONS = 10_000;

    private static final int CACHE_LIMIT = 10_000;
    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .build();

    private final Map<Vocabulary, CelCompiler> compilers = new EnumMap<>(Vocabulary.class);
    /** Compilers for expressions that yield any value (mappings), not a condition. */
    private final Map<Vocabulary, CelCompiler> valueCompilers = new EnumMap<>(Vocabulary.class);
    /** The planner runtime: a quarter faster per evaluation than the standard one in our measurements, same results in our tests. */
    private final CelRuntime runtime =
            CelRuntimeFactory.plannerRuntimeBuilder().setOptions(OPTIONS).build();

    private final Map<Vocabulary, Map<String, Expression>> cache = new EnumMap<>(Vocabulary.class);
    /**
     * Evaluations stopped at {@link #MAX_ITERATIONS}, for the metric. Process-wide on purpose: the
     * workspace compiles decision rules and policies with its own instance, and one counter must
     * see them all. It only counts; nothing reads it to decide anything.
     */
    private static final LongAdder OVER_BUDGET = new LongAdder();

    public Expressions() {
        for (Vocabulary v : Vocabulary.values()) {
            CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .setResultType(SimpleType.BOOL);
            v.variables().forEach(builder::addVar);
            compilers.put(v, builder.build());
            cache.put(v, new ConcurrentHashMap<>());
            CelCompilerBuilder values = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
            v.variables().forEach(values::addVar);
            valueCompilers.put(v, values.build());
        }
    }

    /**
     * Compiles {@code source}, or throws {@link BadRequest} {@code invalid_expression} naming the
     * line and column and what is wrong there, with {@code field} as the input at fault; or
     * {@code expression_too_costly} when its worst case exceeds {@link #MAX_COST} steps.
     */
    public Expression compile(String source, Vocabulary vocabulary, String field) {
        Expression expression = compileSaved(source, vocabulary, field);
        if (expression.cost() > MAX_COST) {
            throw new BadRequest(
                    "expression_too_costly",
                    "The " + vocabulary.noun() + " '" + shortened(source) + "' could take "
                            + (expression.cost() >= MAX_COST * 1_000_000
                                    ? "more than " + MAX_COST * 1_000_000
                                    : expression.cost())
                            + " steps in the worst case; the limit is " + MAX_COST
                            + " (lists from the profile count as "
                            + Cost.ASSUMED_SIZE
                            + " elements). Nest fewer comprehensions (all, exists, map, filter) or iterate over shorter lists.",
                    field);
        }
        return expression;
    }

    /**
     * Compiles an expression saved before its cost was bounded, without refusing it for its cost:
     * the runtime bound ({@link #MAX_ITERATIONS}) still stops each evaluation.
     */
    public Expression compileSaved(String source, Vocabulary vocabulary, String field) {
        if (source == null || source.isBlank()) {
            throw new BadRequest(
                    "invalid_expression",
                    "The " + vocabulary.noun() + " is empty; write a CEL expression such as "
                            + "traits.plan == \"pro\".",
                    field);
        }
        Map<String, Expression> compiled = cache.get(vocabulary);
        Expression hit = compiled.get(source);
        if (hit != null) {
            return hit;
        }
        Expression expression = build(source, vocabulary, field);
        if (compiled.size() >= CACHE_LIMIT) {
            compiled.clear();
        }
        compiled.put(source, expression);
        return expression;
    }

    /**
     * Compiles an expression that yields a value of any type, such as a mapping's {@code
     * body.customer.email}; refused as {@link #compile} refuses a condition. Not cached: mappings
     * are compiled once, when the workspace is read.
     */
    public ValueExpression compileValue(String source, Vocabulary vocabulary, String field) {
        if (source == null || source.isBlank()) {
            throw new BadRequest(
                    "invalid_expression",
                    "The " + vocabulary.noun() + " is empty; write a CEL expression such as body.customer.id.",
                    field);
        }
        CelAbstractSyntaxTree ast = parsed(valueCompilers.get(vocabulary), source, vocabulary, field);
        long cost = Cost.of(ast.getExpr());
        if (cost > MAX_COST) {
            throw new BadRequest(
                    "expression_too_costly",
                    "The " + vocabulary.noun() + " '" + shortened(source) + "' could take more than " + MAX_COST
                            + " steps in the worst case; nest fewer comprehensions (all, exists, map, filter).",
                    field);
        }
        try {
            return new ValueExpression(source, runtime.createProgram(ast), OVER_BUDGET);
        } catch (CelEvaluationException e) {
            throw new BadRequest(
                    "invalid_expression", "The " + vocabulary.noun() + " cannot run: " + e.getMessage(), field);
        }
    }

    private static CelAbstractSyntaxTree parsed(
            CelCompiler compiler, String source, Vocabulary vocabulary, String field) {
        try {
            // parsed, timestamp literals folded, then checked
            return compiler.check(TimestampLiterals.fold(compiler.parse(source).getAst()))
                    .getAst();
        } catch (CelValidationException e) {
            CelIssue first = e.getErrors().get(0);
            int line = Math.max(1, first.getSourceLocation().getLine());
            int column = first.getSourceLocation().getColumn() + 1;
            throw new BadRequest(
                    "invalid_expression",
                    "The " + vocabulary.noun() + " has an error at line " + line + ", column " + column + ": "
                            + plain(first.getMessage(), vocabulary) + ".",
                    field);
        }
    }

    private Expression build(String source, Vocabulary vocabulary, String field) {
        CelAbstractSyntaxTree ast = parsed(compilers.get(vocabulary), source, vocabulary, field);
        try {
            return new Expression(
                    source,
                    runtime.createProgram(ast),
                    Shortcut.of(ast.getExpr(), vocabulary.variables().keySet()),
                    reads(ast, vocabulary),
                    Cost.of(ast.getExpr()),
                    OVER_BUDGET);
        } catch (CelEvaluationException e) {
            throw new BadRequest(
                    "invalid_expression", "The " + vocabulary.noun() + " cannot run: " + e.getMessage(), field);
        }
    }

    /** Evaluations stopped because they ran past {@link #MAX_ITERATIONS}, in this process. */
    public static long overBudget() {
        return OVER_BUDGET.sum();
    }

    private static String shortened(String source) {
        return source.length() <= 80 ? source : source.substring(0, 77) + "...";
    }

    private static String plain(String message, Vocabulary vocabulary) {
        if (message.startsWith("undeclared reference to '")) {
            String name = message.substring("undeclared reference to '".length(), message.indexOf('\'', 26));
            String noun = vocabulary.noun();
            return "'" + name + "' is not something " + ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun
                    + " can read; it can read "
                    + String.join(", ", vocabulary.variables().keySet());
        }
        return message.replace(" (in container '')", "");
    }

    /** The variables and map keys the expression reads; a map read as a whole is named alone. */
    private static Set<String> reads(CelAbstractSyntaxTree ast, Vocabulary vocabulary) {
        Set<String> reads = new TreeSet<>();
        Set<String> names = vocabulary.variables().keySet();
        CelNavigableAst.fromAst(ast).getRoot().allNodes().forEach(node -> {
            if (node.getKind() != CelExpr.ExprKind.Kind.IDENT
                    || !names.contains(node.expr().ident().name())) {
                return;
            }
            String name = node.expr().ident().name();
            String key = node.parent().map(p -> keyRead(p, node.id())).orElse(null);
            reads.add(key == null ? name : name + "." + key);
        });
        return Set.copyOf(reads);
    }

    /** The key read when the parent selects a field, or indexes with a constant string, from the variable; else null. */
    private static String keyRead(CelNavigableExpr parent, long variableId) {
        CelExpr e = parent.expr();
        if (parent.getKind() == CelExpr.ExprKind.Kind.SELECT
                && e.select().operand().id() == variableId) {
            return e.select().field();
        }
        if (parent.getKind() == CelExpr.ExprKind.Kind.CALL
                && e.call().function().equals("_[_]")
                && e.call().args().get(0).id() == variableId) {
            CelExpr index = e.call().args().get(1);
            if (index.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && index.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                return index.constant().stringValue();
            }
        }
        return null;
    }
}
