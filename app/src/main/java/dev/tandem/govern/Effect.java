package dev.tandem.govern;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a policy rule does when it applies. {@code deny} and {@code allow} decide the flow;
 * the others are obligations on the fields the rule selects. When several obligations select
 * one field the strongest wins, in the order below (drop is strongest).
 */
public enum Effect {
    DENY,
    ALLOW,
    DROP,
    HASH,
    MASK,
    TRUNCATE_IP,
    COARSEN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean isObligation() {
        return this != DENY && this != ALLOW;
    }

    /** Lower is stronger. */
    int strength() {
        return ordinal();
    }

    static Effect named(String name) {
        for (Effect e : values()) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
