package dev.tandem.server;

import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.error.Unauthorized;
import dev.tandem.govern.Flow;
import dev.tandem.govern.GovernedReads;
import dev.tandem.module.Caller;
import dev.tandem.people.People;
import dev.tandem.people.Person;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Named API tokens with scopes, for readers that must not hold the admin token: the Profile API
 * needs {@code profiles:read}. Only each token's SHA-256 is stored; the token is shown once, at
 * creation. Callers send it as {@code Authorization: Bearer <token>} or, as Segment's Profile API
 * does, as the Basic user name with an empty password. The admin token passes every scope.
 */
final class ApiTokens {
    static final Set<String> SCOPES = Set.of(
            "profiles:read",
            "audiences:read",
            "experiments:read",
            "journeys:read",
            "decide:explain",
            "audit:read",
            "feed:read",
            "changes:read",
            "changes:write",
            "kpis:read");

    static final Set<String> ROLES = Set.of("marketer", "steward", "technologist", "analyst", "admin");

    /** A token: its scopes say which routes it may call; its role and purposes are what the policy gate sees. */
    record Token(String name, Grant grant, String owner, long createdAt) {
        List<String> scopes() {
            return grant.scopes();
        }

        String role() {
            return grant.role();
        }

        List<String> purposes() {
            return grant.purposes();
        }
    }

    /** What a new token is for. */
    record Grant(List<String> scopes, String role, List<String> purposes) {}

    /**
     * How long a token known here is taken on trust before its row is read again: a token deleted
     * through another Tandem process sharing the database stops working here within this time.
     */
    static final Duration RECHECK_EVERY = Duration.ofSeconds(5);

    private static final String SELECT =
            "SELECT name, sha256, scopes, role, purposes, created_at, owner FROM api_tokens";

    /** A token as last read from the database, and when (epoch millis of the injected clock). */
    private record Known(Token token, long checkedAt) {}

    private final Jdbi jdbi;
    private final AdminToken admin;
    private final Clock clock;
    private final Map<String, Known> byHash = new ConcurrentHashMap<>();
    private final Set<String> purposes;
    private final Supplier<People> people;

    /** @param people who owns a token made by a person, looked up at every use of it */
    ApiTokens(Jdbi jdbi, AdminToken admin, Set<String> purposes, Supplier<People> people, Clock clock) {
        this.jdbi = jdbi;
        this.people = people;
        this.admin = admin;
        this.purposes = purposes;
        this.clock = clock;
    }

    private static Token token(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Token(
                rs.getString(1),
                new Grant(split(rs.getString(3)), rs.getString(4), split(rs.getString(5))),
                rs.getString(7),
                rs.getLong(6));
    }

    /**
     * The token with this hash: from memory when it was read less than {@link #RECHECK_EVERY} ago,
     * else from the database (one lookup by the unique hash), which also finds tokens made by another
     * process and forgets deleted ones.
     */
    private Token known(String hash) {
        long now = clock.millis();
        Known k = byHash.get(hash);
        if (k != null && now - k.checkedAt() < RECHECK_EVERY.toMillis()) {
            return k.token();
        }
        Optional<Token> stored = jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE sha256 = :h")
                .bind("h", hash)
                .map(ApiTokens::token)
                .findOne());
        if (stored.isEmpty()) {
            byHash.remove(hash);
            return null;
        }
        byHash.put(hash, new Known(stored.get(), now));
        return stored.get();
    }

    private static List<String> split(String list) {
        return list.isEmpty() ? List.of() : List.of(list.split(","));
    }

    /** Creates a token; returns it in clear, the only time it is shown. */
    String create(String name, Grant grant) {
        return create(name, grant, null);
    }

    /**
     * Creates a token that {@code owner} (a person's name) holds: its scopes must be within the
     * person's role, and its role is theirs. Null for a token made with the admin token.
     */
    String create(String name, Grant grant, Person owner) {
        if (owner != null) {
            List<String> beyond = grant.scopes() == null
                    ? List.of()
                    : grant.scopes().stream()
                            .filter(s -> !owner.role().holds(s))
                            .toList();
            if (!beyond.isEmpty()) {
                throw new dev.tandem.error.Forbidden(
                        "exceeds_role",
                        "A " + owner.role().wireName() + " may not hold " + beyond + "; the role's scopes are "
                                + new java.util.TreeSet<>(owner.role().scopes()) + ".",
                        "scopes");
            }
            grant = new Grant(grant.scopes(), owner.role().wireName(), grant.purposes());
        }
        List<String> scopes = grant.scopes();
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new BadRequest(
                    "invalid_name",
                    "A token needs a 'name' of letters, digits, '_', '.' or '-', such as 'website-personalization'.",
                    "name");
        }
        if (scopes == null || scopes.isEmpty() || !SCOPES.containsAll(scopes)) {
            throw new BadRequest("invalid_scopes", "'scopes' must list one or more of " + SCOPES + ".", "scopes");
        }
        String role = grant.role() == null ? "" : grant.role();
        if (!role.isEmpty() && !ROLES.contains(role)) {
            throw new BadRequest(
                    "invalid_role", "'role' must be one of " + new java.util.TreeSet<>(ROLES) + ".", "role");
        }
        List<String> why = grant.purposes() == null ? List.of() : grant.purposes();
        for (String p : why) {
            if (!purposes.contains(p)) {
                throw new BadRequest(
                        "invalid_purpose",
                        "'" + p + "' is not a purpose; the purposes are " + new java.util.TreeSet<>(purposes)
                                + ". A token without purposes sees personal data masked.",
                        "purposes");
            }
        }
        if (list().stream().anyMatch(t -> t.name().equals(name))) {
            throw new Conflict(
                    "token_exists",
                    "A token named '" + name + "' exists; delete it first or pick another name.",
                    "name");
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = "tdk_" + HexFormat.of().formatHex(random);
        String hash = HexFormat.of().formatHex(AdminToken.sha256(token));
        String ownerName = owner == null ? null : owner.name();
        Token t = new Token(name, new Grant(List.copyOf(scopes), role, List.copyOf(why)), ownerName, clock.millis());
        jdbi.useHandle(
                h -> h.createUpdate("INSERT INTO api_tokens (name, sha256, scopes, role, purposes, created_at, owner) "
                                + "VALUES (:n, :h, :s, :r, :p, :at, :o)")
                        .bind("o", ownerName)
                        .bind("n", name)
                        .bind("h", hash)
                        .bind("s", String.join(",", scopes))
                        .bind("r", role)
                        .bind("p", String.join(",", why))
                        .bind("at", t.createdAt())
                        .execute());
        byHash.put(hash, new Known(t, clock.millis()));
        return token;
    }

    /** Every token, read from the database: those made through another process too. */
    List<Token> list() {
        return jdbi.withHandle(h ->
                h.createQuery(SELECT + " ORDER BY name").map(ApiTokens::token).list());
    }

    void delete(String name) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM api_tokens WHERE name = :n")
                .bind("n", name)
                .execute());
        if (n == 0) {
            throw new NotFound("unknown_token", "No API token is named '" + name + "'; see GET /v1/admin/tokens.");
        }
        byHash.values().removeIf(k -> k.token().name().equals(name));
    }

    /** Lets through the admin token and API tokens with {@code scope}, and says what the caller may read; throws otherwise. */
    void require(String scope, Context ctx) {
        String presented = presented(ctx);
        if (presented == null) {
            throw new Unauthorized(
                    "missing_token",
                    "This route needs an API token with the '" + scope
                            + "' scope, as 'Authorization: Bearer <token>' or as the Basic user name; create one with 'tandem tokens create'.");
        }
        if (admin.accepts(presented)) {
            Caller.attach(ctx, "admin");
            GovernedReads.attach(ctx, Flow.apiRead("admin", "admin", List.copyOf(purposes)));
            return;
        }
        Token t = known(HexFormat.of().formatHex(AdminToken.sha256(presented)));
        if (t == null) {
            throw new Unauthorized("invalid_token", "The API token is not known; it may have been deleted.");
        }
        if (!t.scopes().contains(scope)) {
            throw new dev.tandem.error.Forbidden(
                    "missing_scope", "The token '" + t.name() + "' lacks the '" + scope + "' scope.");
        }
        String role = t.role();
        if (t.owner() != null) {
            // Why at every use: a person's role may have changed, or the person left, since the token was made
            Person owner = people.get()
                    .person(t.owner())
                    .orElseThrow(() -> new Unauthorized(
                            "invalid_token", "The API token's owner is no longer a person of this workspace."));
            if (owner.createdAt() > t.createdAt()) {
                // a person of the same name added after the token was made is someone else
                throw new Unauthorized(
                        "invalid_token", "The API token's owner is no longer a person of this workspace.");
            }
            if (!owner.role().holds(scope)) {
                throw new dev.tandem.error.Forbidden(
                        "exceeds_role",
                        "The token '" + t.name() + "' belongs to " + owner.name() + ", whose role ("
                                + owner.role().wireName() + ") does not hold '" + scope + "'.");
            }
            role = owner.role().wireName();
        }
        Caller.attach(ctx, "token:" + t.name());
        if (t.owner() != null) {
            Caller.attachPerson(ctx, t.owner());
        }
        GovernedReads.attach(ctx, Flow.apiRead(t.name(), role, t.purposes()));
    }

    private static String presented(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return null;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
