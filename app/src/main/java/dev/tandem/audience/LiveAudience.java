package dev.tandem.audience;

import dev.tandem.expr.Expression;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An audience as the stage evaluates it: its compiled condition, and the profiles it could not be
 * evaluated on. A class with identity equality, not a record: the stage keeps these in hash sets
 * per profile, and a record's hash would walk the whole definition each time.
 */
final class LiveAudience {
    private final Audience audience;
    private final int index;
    private final Expression condition;
    private final AtomicLong failures;
    private final AtomicReference<String> lastFailure;
    private final boolean readsIdentifiers;

    /** @param index the audience's place in its snapshot's list, for sets of audiences as bits */
    LiveAudience(
            Audience audience,
            int index,
            Expression condition,
            AtomicLong failures,
            AtomicReference<String> lastFailure) {
        this.audience = audience;
        this.index = index;
        this.condition = condition;
        this.failures = failures;
        this.lastFailure = lastFailure;
        this.readsIdentifiers = condition.readsVariable("identifiers");
    }

    Audience audience() {
        return audience;
    }

    Expression condition() {
        return condition;
    }

    AtomicLong failures() {
        return failures;
    }

    AtomicReference<String> lastFailure() {
        return lastFailure;
    }

    int index() {
        return index;
    }

    long id() {
        return audience.id();
    }

    String key() {
        return audience.key();
    }

    boolean readsIdentifiers() {
        return readsIdentifiers;
    }

    void failed(String message) {
        failures.incrementAndGet();
        lastFailure.set(message);
    }
}
