package dev.tandem.config;

import java.util.Locale;

/**
 * An enum written as its lower-case name on the wire, in {@code tandem.yaml} and in stored rows
 * ({@code in_progress} for {@code IN_PROGRESS}), with one way back from the name.
 */
public interface WireName {
    String name();

    default String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose wire name is {@code name}, or null when none is. */
    static <E extends Enum<E> & WireName> E named(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wireName().equals(name)) {
                return constant;
            }
        }
        return null;
    }
}
