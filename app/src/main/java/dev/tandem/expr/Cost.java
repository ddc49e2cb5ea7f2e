package dev.tandem.expr;

import dev.cel.common.ast.CelExpr;

/**
 * The worst-case number of steps (sub-expressions evaluated) of one expression, worked out from
 * its syntax before it runs. CEL-java 0.14 has no cost estimator (cel-go's {@code EstimateCost}
 * is not ported), so this is ours: every node costs one step; a comprehension ({@code all},
 * {@code exists}, {@code map}, {@code filter}) costs its body once per element of its range. A
 * literal list has its own size; a list from the profile or the request is assumed to hold at
 * most {@link #ASSUMED_SIZE} elements. Nesting multiplies, which is what a comprehension bomb
 * ({@code [0,..,9].all(a, [0,..,9].all(b, ...))}) relies on and what this catches.
 */
final class Cost {
    /** Elements assumed in a list or map whose size is known only at run time. */
    static final long ASSUMED_SIZE = 100;
    /** Past this, sums and products stop growing: the answer is "too much" anyway. */
    private static final long CAP = Long.MAX_VALUE / 4;

    private Cost() {}

    static long of(CelExpr e) {
        return switch (e.getKind()) {
            case CONSTANT, IDENT, NOT_SET -> 1;
            case SELECT -> add(1, of(e.select().operand()));
            case CALL -> {
                long c = 1;
                if (e.call().target().isPresent()) {
                    c = add(c, of(e.call().target().get()));
                }
                for (CelExpr a : e.call().args()) {
                    c = add(c, of(a));
                }
                yield c;
            }
            case LIST -> {
                long c = 1;
                for (CelExpr a : e.list().elements()) {
                    c = add(c, of(a));
                }
                yield c;
            }
            case MAP -> {
                long c = 1;
                for (CelExpr.CelMap.Entry entry : e.map().entries()) {
                    c = add(c, add(of(entry.key()), of(entry.value())));
                }
                yield c;
            }
            case STRUCT -> {
                long c = 1;
                for (CelExpr.CelStruct.Entry entry : e.struct().entries()) {
                    c = add(c, of(entry.value()));
                }
                yield c;
            }
            case COMPREHENSION -> {
                CelExpr.CelComprehension f = e.comprehension();
                long perElement = add(of(f.loopCondition()), of(f.loopStep()));
                yield add(
                        add(add(of(f.iterRange()), of(f.accuInit())), of(f.result())),
                        times(size(f.iterRange()), perElement));
            }
        };
    }

    /** How many elements a comprehension's range can have: a literal's own, a comprehension's range's, else the assumption. */
    private static long size(CelExpr range) {
        return switch (range.getKind()) {
            case LIST -> range.list().elements().size();
            case MAP -> range.map().entries().size();
            case COMPREHENSION -> size(range.comprehension().iterRange());
            default -> ASSUMED_SIZE;
        };
    }

    private static long add(long a, long b) {
        return Math.min(CAP, a + b);
    }

    private static long times(long a, long b) {
        return a != 0 && b > CAP / a ? CAP : Math.min(CAP, a * b);
    }
}
