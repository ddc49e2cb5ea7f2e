package dev.tandem.protect;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How risky a field's value is; the order is the order of risk, lowest first. */
public enum FieldClass {
    /** Anything that does not identify a person or harm them when leaked. */
    GENERAL,
    /** Identifies or describes a person: email, phone, name, address, IP, birth date, device ids. */
    PERSONAL,
    /** Must not be kept at all: government ids, card numbers, passwords, tokens, health data. */
    RESTRICTED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The class named in tandem.yaml or an API body, or null when the name is not one. */
    public static FieldClass named(String name) {
        for (FieldClass c : values()) {
            if (c.wireName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    FieldClass max(FieldClass other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
