package dev.tandem.audience;

import dev.tandem.expr.Expression;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** An audience as the stage evaluates it: its compiled condition, and the profiles it could not be evaluated on. */
record LiveAudience(Audience audience, Expression condition, AtomicLong failures, AtomicReference<String> lastFailure) {
    LiveAudience(Audience audience, Expression condition) {
        this(audience, condition, new AtomicLong(), new AtomicReference<>());
    }

    long id() {
        return audience.id();
    }

    String key() {
        return audience.key();
    }

    boolean readsIdentifiers() {
        return condition.readsVariable("identifiers");
    }

    void failed(String message) {
        failures.incrementAndGet();
        lastFailure.set(message);
    }
}
