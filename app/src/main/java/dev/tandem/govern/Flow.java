package dev.tandem.govern;

import java.util.List;
import java.util.Map;

/**
 * Where data is going and why: a destination delivery, an export, an API read or a console view,
 * with the purposes it serves, its risk tier ({@code low}, {@code medium}, {@code high}), its
 * region and, for people, their role. Policies read it as {@code flow}.
 */
public record Flow(String kind, String name, List<String> purposes, String riskTier, String region, String role) {
    public static final List<String> KINDS = List.of("destination", "export", "api_read", "console");
    public static final List<String> TIERS = List.of("low", "medium", "high");

    public Flow {
        purposes = List.copyOf(purposes);
        riskTier = riskTier == null ? "medium" : riskTier;
        region = region == null ? "" : region;
        role = role == null ? "" : role;
    }

    /** An API read by a caller with a role and purposes. */
    public static Flow apiRead(String caller, String role, List<String> purposes) {
        return new Flow("api_read", caller, purposes, "low", "", role);
    }

    Map<String, Object> facts() {
        return Map.of("kind", kind, "name", name, "purposes", purposes, "risk_tier", riskTier, "region", region, "role", role);
    }
}
