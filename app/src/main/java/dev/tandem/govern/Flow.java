package dev.tandem.govern;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where data is going and why: a destination delivery, an export, an API read or a console view,
 * with the purposes it serves, its risk tier ({@code low}, {@code medium}, {@code high}), its
 * region and, for people, their role. Policies read it as {@code flow}.
 */
public record Flow(Kind kind, String name, List<String> purposes, RiskTier riskTier, String region, String role) {
    /** What sort of flow it is; policies and the gate log see the wire name. */
    public enum Kind {
        DESTINATION,
        EXPORT,
        API_READ,
        CONSOLE;

        static final List<String> WIRE_NAMES =
                Arrays.stream(values()).map(Kind::wireName).toList();

        /** Worked out once: the gate reads it on every decision. */
        private final String wireName = name().toLowerCase(Locale.ROOT);

        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The kind named in an API body or a policy file, or null when the name is not one. */
        static Kind named(String name) {
            for (Kind k : values()) {
                if (k.wireName().equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** How much harm the flow can do, lowest first. */
    public enum RiskTier {
        LOW,
        MEDIUM,
        HIGH;

        static final List<String> WIRE_NAMES =
                Arrays.stream(values()).map(RiskTier::wireName).toList();

        /** Worked out once: the gate reads it on every decision. */
        private final String wireName = name().toLowerCase(Locale.ROOT);

        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The tier named in an API body or a policy file, or null when the name is not one. */
        static RiskTier named(String name) {
            for (RiskTier t : values()) {
                if (t.wireName().equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    public Flow {
        purposes = List.copyOf(purposes);
        riskTier = riskTier == null ? RiskTier.MEDIUM : riskTier;
        region = region == null ? "" : region;
        role = role == null ? "" : role;
    }

    /** An API read by a caller with a role and purposes. */
    public static Flow apiRead(String caller, String role, List<String> purposes) {
        return new Flow(Kind.API_READ, caller, purposes, RiskTier.LOW, "", role);
    }

    Map<String, Object> facts() {
        return Map.of(
                "kind",
                kind.wireName(),
                "name",
                name,
                "purposes",
                purposes,
                "risk_tier",
                riskTier.wireName(),
                "region",
                region,
                "role",
                role);
    }
}
