package dev.tandem.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelMutableAst;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelMutableExpr;
import dev.cel.common.internal.DateTimeHelpers;
import dev.cel.common.navigation.CelNavigableMutableAst;
import dev.cel.common.navigation.CelNavigableMutableExpr;
import java.time.Instant;
import java.util.List;

/**
 * Folds {@code timestamp("2026-10-14T00:00:00Z")} literals at compile time: the string becomes its
 * epoch second, {@code timestamp(1791936000)}, the same instant, which CEL makes without parsing.
 *
 * <p>Why: CEL parses a timestamp literal's text on every evaluation ({@code OffsetDateTime.parse},
 * a third of the evaluation time of the benchmark's 200 audience conditions). cel-java's
 * constant folding leaves {@code timestamp()} calls as they are on purpose (it treats them as
 * literals), so we do it on the parsed tree, before it is type-checked. The text is parsed with
 * the function CEL itself uses for {@code timestamp(string)}, so a literal is folded only when CEL
 * would have read it, to the instant CEL would have read (an offset such as {@code +02:00} is
 * applied here exactly as there). Literals CEL would refuse, and those with a fraction of a
 * second, stay as written and behave as before. Only the argument's constant changes; its node
 * keeps its id, so error positions are unchanged.
 */
final class TimestampLiterals {
    private TimestampLiterals() {}

    /** The parsed tree with its foldable timestamp literals folded; the same tree when there is none. */
    static CelAbstractSyntaxTree fold(CelAbstractSyntaxTree parsed) {
        CelMutableAst ast = CelMutableAst.fromCelAst(parsed);
        boolean folded = false;
        List<CelNavigableMutableExpr> nodes =
                CelNavigableMutableAst.fromAst(ast).getRoot().allNodes().toList();
        for (CelNavigableMutableExpr node : nodes) {
            CelMutableExpr literal = literalArgument(node.expr());
            if (literal == null) {
                continue;
            }
            Instant at;
            try {
                at = DateTimeHelpers.parse(literal.constant().stringValue());
            } catch (RuntimeException refused) {
                continue; // CEL refuses it at run time, as it did before
            }
            if (at.getNano() == 0) {
                literal.setConstant(CelConstant.ofValue(at.getEpochSecond()));
                folded = true;
            }
        }
        return folded ? ast.toParsedAst() : parsed;
    }

    /** The string constant of a global {@code timestamp(...)} call with only that argument, else null. */
    private static CelMutableExpr literalArgument(CelMutableExpr e) {
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL
                || !e.call().function().equals("timestamp")
                || e.call().target().isPresent()
                || e.call().args().size() != 1) {
            return null;
        }
        CelMutableExpr arg = e.call().args().get(0);
        return arg.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE
                ? arg
                : null;
    }
}
