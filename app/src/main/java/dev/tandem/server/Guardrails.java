package dev.tandem.server;

import dev.tandem.expr.Expressions;
import dev.tandem.govern.Policy;
import dev.tandem.protect.Classification;
import dev.tandem.protect.Purposes;

/** What IT declares in tandem.yaml to keep data safe: field classification, the purposes and their consent, the policies. */
record Guardrails(Classification classification, Purposes purposes, Policy policy) {
    public static Guardrails defaults(Expressions expressions) {
        return new Guardrails(Classification.defaults(), Purposes.defaults(), Policy.defaults(expressions));
    }
}
