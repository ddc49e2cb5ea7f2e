package dev.tandem.expr;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.internal.ComparisonFunctions;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The common shape of a condition answered without CEL's interpreter: {@code &&}, {@code ||} and
 * {@code !} over comparisons of one variable or map key with a literal ({@code computed.revenue >=
 * 150}, {@code traits.plan == "gold"}, {@code last_seen > timestamp("2026-10-14T00:00:00Z")}),
 * {@code has(traits.name)}, {@code "web" in channels}, {@code traits.plan in ["gold", "silver"]}
 * and {@code startsWith}/{@code endsWith}/{@code contains} with a literal.
 *
 * <p>Why: most audience conditions and decision rules have this shape, and each CEL evaluation
 * costs an attribute resolution, an overload dispatch by the values' classes and boxing per
 * operator; with 200 audiences that was most of the audience stage's time. Here a comparison is
 * two map reads and one primitive compare.
 *
 * <p>It answers in three values: {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN}, and CEL
 * decides whenever it says {@code UNKNOWN}. A comparison is answered only for values of the types
 * it knows (ints, doubles, strings, booleans, timestamps), with CEL's own rules for them (an int
 * and a double compare as CEL's heterogeneous comparison does, with its functions); anything else,
 * a missing key, a null, another type, is {@code UNKNOWN}, so the error, its message and the
 * counting of failures stay CEL's. {@code &&} and {@code ||} follow CEL's commutative logic, where
 * an error or unknown operand does not matter once another decides ({@code false && x} is false),
 * so a definite answer here is the answer CEL gives. Comprehensions and any other call are left to
 * CEL whole.
 */
final class Shortcut {
    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int UNKNOWN = 2;

    private static final int EQ = 0;
    private static final int NE = 1;
    private static final int LT = 2;
    private static final int LE = 3;
    private static final int GT = 4;
    private static final int GE = 5;

    private Shortcut() {}

    /** A condition, or a part of one, answered in three values. */
    interface Node {
        int test(Map<String, Object> variables);
    }

    /**
     * The shortcut for a checked expression, or null when nothing of it can be answered here (then
     * evaluating it would only add work).
     */
    static Node of(CelExpr root, Set<String> variables) {
        Node n = new Builder(variables).node(root);
        return n == Builder.LEFT_TO_CEL ? null : n;
    }

    /**
     * A test of one value, such as {@code computed.favourite_category == "shoes"}. When it is the whole
     * condition and its key is missing, CEL's answer is the same failure every time, whatever else
     * the profile holds (see {@link #missing}).
     */
    record Atom(Read read, Node test) implements Node {
        @Override
        public int test(Map<String, Object> variables) {
            return test.test(variables);
        }

        /** Whether the key it reads is missing from its map variable. */
        boolean missing(Map<String, Object> variables) {
            return read.key() != null
                    && variables.get(read.variable()) instanceof CelMap m
                    && !m.value().containsKey(read.key());
        }
    }

    /** A variable, or one key of a map variable. */
    record Read(String variable, String key) {
        /** The value, or null when it is missing. */
        Object value(Map<String, Object> variables) {
            Object v = variables.get(variable);
            if (key == null || v == null) {
                return v;
            }
            if (v instanceof CelMap m) {
                return m.value().get(key);
            }
            return v instanceof Map<?, ?> m ? m.get(key) : null;
        }
    }

    static int and(Node[] parts, Map<String, Object> variables) {
        int result = TRUE;
        for (Node p : parts) {
            int r = p.test(variables);
            if (r == FALSE) {
                return FALSE;
            }
            if (r == UNKNOWN) {
                result = UNKNOWN;
            }
        }
        return result;
    }

    static int or(Node[] parts, Map<String, Object> variables) {
        int result = FALSE;
        for (Node p : parts) {
            int r = p.test(variables);
            if (r == TRUE) {
                return TRUE;
            }
            if (r == UNKNOWN) {
                result = UNKNOWN;
            }
        }
        return result;
    }

    static int of(boolean b) {
        return b ? TRUE : FALSE;
    }

    /** {@code value op literal} as CEL answers it for these types, or UNKNOWN for the others. */
    static int compare(Object value, int op, Object literal) {
        if (value instanceof Long a) {
            if (literal instanceof Long b) {
                return ordered(Long.compare(a, b), op);
            }
            if (literal instanceof Double b && op >= LT) {
                return ordered(ComparisonFunctions.compareIntDouble(a, b), op);
            }
            return UNKNOWN;
        }
        if (value instanceof Double a) {
            if (literal instanceof Double b) {
                double x = a;
                double y = b;
                // CEL's double overloads are Java's operators: NaN compares false, -0.0 equals 0.0
                return of(
                        switch (op) {
                            case EQ -> x == y;
                            case NE -> x != y;
                            case LT -> x < y;
                            case LE -> x <= y;
                            case GT -> x > y;
                            default -> x >= y;
                        });
            }
            if (literal instanceof Long b && op >= LT) {
                return ordered(ComparisonFunctions.compareDoubleInt(a, b), op);
            }
            return UNKNOWN;
        }
        if (op <= NE
                && (value instanceof String || value instanceof Boolean)
                && value.getClass() == literal.getClass()) {
            return of(value.equals(literal) == (op == EQ));
        }
        if (value instanceof Instant a && literal instanceof Instant b) {
            return ordered(a.compareTo(b), op);
        }
        return UNKNOWN;
    }

    private static int ordered(int c, int op) {
        return of(
                switch (op) {
                    case EQ -> c == 0;
                    case NE -> c != 0;
                    case LT -> c < 0;
                    case LE -> c <= 0;
                    case GT -> c > 0;
                    default -> c >= 0;
                });
    }

    /** Builds nodes from the checked tree; {@link #LEFT_TO_CEL} for what only CEL answers. */
    private static final class Builder {
        static final Node LEFT_TO_CEL = v -> UNKNOWN;

        private final Set<String> variables;

        Builder(Set<String> variables) {
            this.variables = variables;
        }

        Node node(CelExpr e) {
            return switch (e.getKind()) {
                case CONSTANT ->
                    e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
                            ? constant(e.constant().booleanValue())
                            : LEFT_TO_CEL;
                case IDENT, SELECT -> truth(e);
                case CALL -> call(e);
                default -> LEFT_TO_CEL;
            };
        }

        private static Node constant(boolean b) {
            int r = of(b);
            return v -> r;
        }

        /** A boolean variable or key ({@code known}, {@code consent.email}), or {@code has(...)}. */
        private Node truth(CelExpr e) {
            if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && e.select().testOnly()) {
                Read r = read(e.select().operand());
                if (r == null || r.key() != null) {
                    return LEFT_TO_CEL;
                }
                String key = e.select().field();
                return v -> {
                    Object map = r.value(v);
                    return map instanceof Map<?, ?> || map instanceof CelMap
                            ? of(keys(map).containsKey(key))
                            : UNKNOWN;
                };
            }
            Read r = read(e);
            return r == null ? LEFT_TO_CEL : new Atom(r, v -> r.value(v) instanceof Boolean b ? of(b) : UNKNOWN);
        }

        private Node call(CelExpr e) {
            CelExpr.CelCall call = e.call();
            List<CelExpr> args = call.args();
            String f = call.function();
            if (call.target().isPresent()) {
                return args.size() == 1 ? stringTest(f, call.target().get(), args.get(0)) : LEFT_TO_CEL;
            }
            switch (f) {
                case "_&&_", "_||_" -> {
                    Node[] parts = args.stream().map(this::node).toArray(Node[]::new);
                    boolean any = false;
                    for (Node p : parts) {
                        any |= p != LEFT_TO_CEL;
                    }
                    if (!any) {
                        return LEFT_TO_CEL;
                    }
                    return f.equals("_&&_") ? v -> and(parts, v) : v -> or(parts, v);
                }
                case "!_" -> {
                    Node inner = node(args.get(0));
                    if (inner == LEFT_TO_CEL) {
                        return LEFT_TO_CEL;
                    }
                    return v -> {
                        int r = inner.test(v);
                        return r == UNKNOWN ? UNKNOWN : TRUE - r;
                    };
                }
                case "@in" -> {
                    return in(args.get(0), args.get(1));
                }
                default -> {
                    int op = operator(f);
                    return op < 0 || args.size() != 2 ? LEFT_TO_CEL : comparison(args.get(0), op, args.get(1));
                }
            }
        }

        private Node comparison(CelExpr left, int op, CelExpr right) {
            Read r = read(left);
            Object lit = literal(right);
            if (r == null || lit == null) {
                r = read(right);
                lit = literal(left);
                op = flipped(op);
            }
            if (r == null || lit == null) {
                return LEFT_TO_CEL;
            }
            Read read = r;
            Object literal = lit;
            int operator = op;
            return new Atom(read, v -> {
                Object value = read.value(v);
                return value == null ? UNKNOWN : compare(value, operator, literal);
            });
        }

        /** {@code "web" in channels}, {@code "plan" in traits}, {@code traits.plan in ["gold", "silver"]}. */
        private Node in(CelExpr element, CelExpr container) {
            Read list = read(container);
            if (list != null && literal(element) instanceof String s) {
                return v -> {
                    Object c = list.value(v);
                    if (c instanceof Map<?, ?> || c instanceof CelMap) {
                        return of(keys(c).containsKey(s));
                    }
                    if (!(c instanceof List<?> l)) {
                        return UNKNOWN;
                    }
                    boolean allStrings = true;
                    for (Object o : l) {
                        if (s.equals(o)) {
                            return TRUE;
                        }
                        allStrings &= o instanceof String;
                    }
                    return allStrings ? FALSE : UNKNOWN;
                };
            }
            Read value = read(element);
            Set<String> strings = strings(container);
            if (value == null || strings == null) {
                return LEFT_TO_CEL;
            }
            return new Atom(value, v -> value.value(v) instanceof String s ? of(strings.contains(s)) : UNKNOWN);
        }

        private Node stringTest(String f, CelExpr target, CelExpr arg) {
            Read r = read(target);
            if (r == null || !(literal(arg) instanceof String s)) {
                return LEFT_TO_CEL;
            }
            return switch (f) {
                case "startsWith" -> new Atom(r, v -> r.value(v) instanceof String t ? of(t.startsWith(s)) : UNKNOWN);
                case "endsWith" -> new Atom(r, v -> r.value(v) instanceof String t ? of(t.endsWith(s)) : UNKNOWN);
                case "contains" -> new Atom(r, v -> r.value(v) instanceof String t ? of(t.contains(s)) : UNKNOWN);
                default -> LEFT_TO_CEL;
            };
        }

        /** {@code traits}, {@code event_count}, or {@code traits.plan}: a variable or one key of it; else null. */
        private Read read(CelExpr e) {
            if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
                return variables.contains(e.ident().name()) ? new Read(e.ident().name(), null) : null;
            }
            if (e.getKind() == CelExpr.ExprKind.Kind.SELECT
                    && !e.select().testOnly()
                    && e.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
                    && variables.contains(e.select().operand().ident().name())) {
                return new Read(e.select().operand().ident().name(), e.select().field());
            }
            return null;
        }

        /** An int, double, string or bool literal, or {@code timestamp(<int>)} as folded; else null. */
        private static Object literal(CelExpr e) {
            if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
                CelConstant c = e.constant();
                return switch (c.getKind()) {
                    case INT64_VALUE -> c.int64Value();
                    case DOUBLE_VALUE -> c.doubleValue();
                    case STRING_VALUE -> c.stringValue();
                    case BOOLEAN_VALUE -> c.booleanValue();
                    default -> null;
                };
            }
            if (e.getKind() == CelExpr.ExprKind.Kind.CALL
                    && e.call().function().equals("timestamp")
                    && e.call().target().isEmpty()
                    && e.call().args().size() == 1
                    && literal(e.call().args().get(0)) instanceof Long seconds) {
                try {
                    Instant at = Instant.ofEpochSecond(seconds);
                    dev.cel.common.internal.DateTimeHelpers.checkValid(at);
                    return at;
                } catch (RuntimeException outOfRange) {
                    return null; // CEL fails on it at run time; let it
                }
            }
            return null;
        }

        /** The strings of a literal list of strings only; else null. */
        private static Set<String> strings(CelExpr e) {
            if (e.getKind() != CelExpr.ExprKind.Kind.LIST) {
                return null;
            }
            Set<String> out = new HashSet<>();
            for (CelExpr element : e.list().elements()) {
                if (!(literal(element) instanceof String s)) {
                    return null;
                }
                out.add(s);
            }
            return Set.copyOf(out);
        }

        private static int operator(String function) {
            return switch (function) {
                case "_==_" -> EQ;
                case "_!=_" -> NE;
                case "_<_" -> LT;
                case "_<=_" -> LE;
                case "_>_" -> GT;
                case "_>=_" -> GE;
                default -> -1;
            };
        }

        private static int flipped(int op) {
            return switch (op) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> op;
            };
        }
    }

    private static Map<?, ?> keys(Object map) {
        return map instanceof CelMap m ? m.value() : (Map<?, ?>) map;
    }
}
