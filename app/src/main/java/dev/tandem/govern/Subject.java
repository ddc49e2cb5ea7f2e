package dev.tandem.govern;

import java.util.Map;

/**
 * The person the data is about, as policies read it ({@code subject}): whether a profile is known,
 * for each purpose whether data may be used for it, and whether their browser sent Global
 * Privacy Control.
 */
public record Subject(long profileId, Map<String, Boolean> consent, boolean gpc) {
    /** Data about nobody in particular (aggregates), or a profile Tandem does not hold. */
    public static final Subject NONE = new Subject(0, Map.of(), false);

    /** The consent is copied, read-only and in its order: the gate keys what its rules decided by it. */
    public Subject {
        consent = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(consent));
    }

    Map<String, Object> facts() {
        return Map.of("known", profileId != 0, "consent", consent, "gpc", gpc);
    }
}
