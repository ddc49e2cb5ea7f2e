package dev.tandem.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a plan does with an event that breaks it. Every mode counts the violations. */
public enum Mode {
    /** Keeps the event as sent. */
    ALLOW("allow"),
    /** Removes the properties (or traits) the plan does not declare, and keeps the event. */
    OMIT("omit"),
    /** Sends an event that breaks its schema, or a track event the plan does not list, to the quarantine. */
    BLOCK("block");

    static final List<String> WIRE_NAMES =
            Arrays.stream(values()).map(Mode::wireName).toList();

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static Optional<Mode> named(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }
}
