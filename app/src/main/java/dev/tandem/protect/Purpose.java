package dev.tandem.protect;

import java.util.Set;

/**
 * Why data is used, and the lawful basis for it (GDPR article 6). A purpose on {@code consent}
 * is allowed only after the customer said yes; on any other basis it is allowed until the
 * customer says no (an objection or an opt-out).
 */
public record Purpose(String name, String lawfulBasis, String description) {
    public static final Set<String> BASES = Set.of("consent", "contract", "legal_obligation", "vital_interests", "public_task",
            "legitimate_interest");

    public boolean needsConsent() {
        return lawfulBasis.equals("consent");
    }

    /** Whether data may be used for this purpose given the customer's stated choice (null: none stated). */
    public boolean allowed(Boolean stated) {
        return stated != null ? stated : !needsConsent();
    }
}
