package dev.tandem.server;

import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.error.Unauthorized;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Named API tokens with scopes, for readers that must not hold the admin token: the Profile API
 * needs {@code profiles:read}. Only each token's SHA-256 is stored; the token is shown once, at
 * creation. Callers send it as {@code Authorization: Bearer <token>} or, as Segment's Profile API
 * does, as the Basic user name with an empty password. The admin token passes every scope.
 */
final class ApiTokens {
    static final Set<String> SCOPES = Set.of("profiles:read", "audiences:read", "experiments:read");

    record Token(String name, List<String> scopes, long createdAt) {}

    private final Jdbi jdbi;
    private final AdminToken admin;
    private final Clock clock;
    private final Map<String, Token> byHash = new ConcurrentHashMap<>();

    ApiTokens(Jdbi jdbi, AdminToken admin, Clock clock) {
        this.jdbi = jdbi;
        this.admin = admin;
        this.clock = clock;
        jdbi.useHandle(h -> h.createQuery("SELECT name, sha256, scopes, created_at FROM api_tokens")
                .map((rs, ctx) -> byHash.put(rs.getString(2), new Token(rs.getString(1), List.of(rs.getString(3).split(",")), rs.getLong(4))))
                .list());
    }

    /** Creates a token; returns it in clear, the only time it is shown. */
    String create(String name, List<String> scopes) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new BadRequest("invalid_name", "A token needs a 'name' of letters, digits, '_', '.' or '-', such as 'website-personalization'.", "name");
        }
        if (scopes == null || scopes.isEmpty() || !SCOPES.containsAll(scopes)) {
            throw new BadRequest("invalid_scopes", "'scopes' must list one or more of " + SCOPES + ".", "scopes");
        }
        if (list().stream().anyMatch(t -> t.name().equals(name))) {
            throw new Conflict("token_exists", "A token named '" + name + "' exists; delete it first or pick another name.", "name");
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = "tdk_" + HexFormat.of().formatHex(random);
        String hash = HexFormat.of().formatHex(AdminToken.sha256(token));
        Token t = new Token(name, List.copyOf(scopes), clock.millis());
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_tokens (name, sha256, scopes, created_at) VALUES (:n, :h, :s, :at)")
                .bind("n", name).bind("h", hash).bind("s", String.join(",", scopes)).bind("at", t.createdAt()).execute());
        byHash.put(hash, t);
        return token;
    }

    List<Token> list() {
        return byHash.values().stream().sorted(java.util.Comparator.comparing(Token::name)).toList();
    }

    void delete(String name) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM api_tokens WHERE name = :n").bind("n", name).execute());
        if (n == 0) {
            throw new NotFound("unknown_token", "No API token is named '" + name + "'; see GET /v1/admin/tokens.");
        }
        byHash.values().removeIf(t -> t.name().equals(name));
    }

    /** A before-handler letting through the admin token and tokens with {@code scope}. */
    Handler require(String scope) {
        return ctx -> {
            String presented = presented(ctx);
            if (presented == null) {
                throw new Unauthorized("missing_token", "This route needs an API token with the '" + scope
                        + "' scope, as 'Authorization: Bearer <token>' or as the Basic user name; create one with 'tandem tokens create'.");
            }
            if (admin.accepts(presented)) {
                return;
            }
            Token t = byHash.get(HexFormat.of().formatHex(AdminToken.sha256(presented)));
            if (t == null) {
                throw new Unauthorized("invalid_token", "The API token is not known; it may have been deleted.");
            }
            if (!t.scopes().contains(scope)) {
                throw new dev.tandem.error.Forbidden("missing_scope", "The token '" + t.name() + "' lacks the '" + scope + "' scope.");
            }
        };
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
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
