package dev.tandem.people;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a person may do (see DESIGN.md): the read scopes a role holds, and whether it passes the
 * admin routes. An API token a person creates never holds more than its role, now or later: a token
 * is checked against its owner's role at every use.
 */
public enum Role {
    MARKETER(
            "marketer",
            Set.of(
                    "profiles:read",
                    "audiences:read",
                    "journeys:read",
                    "experiments:read",
                    "feed:read",
                    "changes:read",
                    "changes:write",
                    "kpis:read")),
    STEWARD(
            "steward",
            Set.of(
                    "profiles:read",
                    "audiences:read",
                    "journeys:read",
                    "experiments:read",
                    "audit:read",
                    "feed:read",
                    "changes:read",
                    "changes:write",
                    "kpis:read")),
    TECHNOLOGIST(
            "technologist",
            Set.of(
                    "profiles:read",
                    "audiences:read",
                    "journeys:read",
                    "experiments:read",
                    "decide:explain",
                    "audit:read",
                    "feed:read",
                    "changes:read",
                    "changes:write",
                    "kpis:read")),
    /** Reads aggregates, never raw personal data: no Profile API. */
    ANALYST("analyst", Set.of("audiences:read", "experiments:read", "feed:read", "changes:read", "kpis:read")),
    ADMIN(
            "admin",
            Set.of(
                    "profiles:read",
                    "audiences:read",
                    "journeys:read",
                    "experiments:read",
                    "decide:explain",
                    "audit:read",
                    "feed:read",
                    "changes:read",
                    "changes:write",
                    "kpis:read"));

    public static final List<String> WIRE_NAMES =
            Arrays.stream(values()).map(Role::wireName).toList();

    private final String wireName;
    private final Set<String> scopes;

    Role(String wireName, Set<String> scopes) {
        this.wireName = wireName;
        this.scopes = scopes;
    }

    public String wireName() {
        return wireName;
    }

    public boolean holds(String scope) {
        return scopes.contains(scope);
    }

    public Set<String> scopes() {
        return scopes;
    }

    /** Users, roles and the workspace's configuration: the routes behind the admin token. */
    public boolean administers() {
        return this == ADMIN;
    }

    public static Optional<Role> named(String wireName) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(wireName)).findFirst();
    }
}
