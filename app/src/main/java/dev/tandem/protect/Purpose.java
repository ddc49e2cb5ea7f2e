package dev.tandem.protect;

import dev.tandem.config.WireName;
import java.util.Arrays;
import java.util.List;

/**
 * Why data is used, and the lawful basis for it (GDPR article 6). A purpose on {@code consent}
 * is allowed only after the customer said yes; on any other basis it is allowed until the
 * customer says no (an objection or an opt-out).
 */
public record Purpose(String name, LawfulBasis lawfulBasis, String description) {
    /** The six lawful bases of GDPR article 6(1), by the names tandem.yaml uses. */
    public enum LawfulBasis implements WireName {
        CONSENT,
        CONTRACT,
        LEGAL_OBLIGATION,
        VITAL_INTERESTS,
        PUBLIC_TASK,
        LEGITIMATE_INTEREST;

        static final List<String> WIRE_NAMES =
                Arrays.stream(values()).map(LawfulBasis::wireName).toList();

        /** The basis named in tandem.yaml, or null when the name is not one. */
        static LawfulBasis named(String name) {
            return WireName.named(LawfulBasis.class, name);
        }
    }

    public boolean needsConsent() {
        return lawfulBasis == LawfulBasis.CONSENT;
    }

    /** Whether data may be used for this purpose given the customer's stated choice (null: none stated). */
    public boolean allowed(Boolean stated) {
        return stated != null ? stated : !needsConsent();
    }
}
