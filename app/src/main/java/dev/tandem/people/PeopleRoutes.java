package dev.tandem.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.module.Access;
import dev.tandem.module.Caller;
import dev.tandem.module.Routes;
import dev.tandem.wire.EventTime;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * People behind the admin token ({@code /v1/admin/people}), setting a password from a sign-in link
 * ({@code POST /v1/people/password}), and the session: {@code POST /v1/session} signs in (a cookie
 * that is HttpOnly, SameSite=Strict, Secure behind TLS), {@code GET} says who is signed in with the
 * CSRF token, {@code DELETE} signs out.
 */
final class PeopleRoutes {
    /** The page runs its own script only, and talks to Tandem only; the link in its address goes nowhere else. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; "
            + "style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final People people;
    private final Sessions sessions;
    private final ObjectMapper mapper;
    private final Supplier<String> publicUrl;

    PeopleRoutes(People people, Sessions sessions, ObjectMapper mapper, Supplier<String> publicUrl) {
        this.people = people;
        this.sessions = sessions;
        this.mapper = mapper;
        this.publicUrl = publicUrl;
    }

    void register(Routes routes) {
        routes.get(
                "/v1/admin/people",
                Access.ADMIN,
                ctx -> ctx.json(
                        Map.of("people", people.list().stream().map(this::json).toList())));
        routes.get(
                "/v1/admin/teams",
                Access.ADMIN,
                ctx -> ctx.json(Map.of(
                        "teams",
                        people.teams().entrySet().stream()
                                .map(t -> Map.of("name", t.getKey(), "side", t.getValue()))
                                .toList())));
        routes.post("/v1/admin/people", Access.ADMIN, ctx -> {
            String example = "{\"name\": \"ann\", \"team\": \"marketing\", \"role\": \"marketer\"}";
            JsonNode body = JsonBody.read(mapper, ctx.body(), example);
            JsonBody.requireObject(body, Set.of("name", "team", "role"), "a person", example);
            String name = text(body, "name");
            People.Secret link = people.add(name, text(body, "team"), text(body, "role"), Caller.of(ctx));
            Map<String, Object> out =
                    new LinkedHashMap<>(json(people.person(name).orElseThrow()));
            out.putAll(link(link));
            ctx.status(201).json(out);
        });
        routes.put("/v1/admin/people/{name}", Access.ADMIN, ctx -> {
            String example = "{\"team\": \"it\", \"role\": \"steward\"}";
            JsonNode body = JsonBody.read(mapper, ctx.body(), example);
            JsonBody.requireObject(body, Set.of("team", "role"), "a change of a person", example);
            ctx.json(json(
                    people.change(ctx.pathParam("name"), given(body, "team"), given(body, "role"), Caller.of(ctx))));
        });
        routes.post(
                "/v1/admin/people/{name}/link",
                Access.ADMIN,
                ctx -> ctx.status(201).json(link(people.newLink(ctx.pathParam("name"), Caller.of(ctx)))));
        routes.delete("/v1/admin/people/{name}", Access.ADMIN, ctx -> {
            people.remove(ctx.pathParam("name"), Caller.of(ctx));
            ctx.status(204);
        });
        routes.post("/v1/people/password", Access.OPEN, ctx -> {
            String example = "{\"link\": \"<from the sign-in link>\", \"password\": \"four unrelated words here\"}";
            JsonNode body = JsonBody.read(mapper, ctx.body(), example);
            JsonBody.requireObject(body, Set.of("link", "password"), "a password", example);
            people.setPassword(text(body, "link"), text(body, "password"));
            ctx.status(204);
        });
        String page = resource("sign-in.html");
        String script = resource("sign-in.js");
        routes.get(
                "/sign-in",
                Access.OPEN,
                ctx -> ctx.header("Content-Security-Policy", PAGE_POLICY)
                        .header("Referrer-Policy", "no-referrer")
                        .header("Cache-Control", "no-store")
                        .html(page));
        routes.get(
                "/sign-in.js",
                Access.OPEN,
                ctx -> ctx.header("Content-Security-Policy", PAGE_POLICY)
                        .contentType("text/javascript; charset=utf-8")
                        .result(script));
        routes.post("/v1/session", Access.OPEN, this::signIn);
        routes.get("/v1/session", Access.OPEN, ctx -> ctx.json(session(sessions.require(ctx))));
        routes.delete("/v1/session", Access.OPEN, ctx -> {
            People.SignedIn s = sessions.require(ctx);
            people.signOut(ctx.cookie(Sessions.COOKIE), s.person());
            ctx.header("Set-Cookie", cookie(ctx, "", 0));
            ctx.status(204);
        });
    }

    private void signIn(Context ctx) {
        // login CSRF: another site's form must not sign a visitor in as someone else
        SameOrigin.require(ctx, publicUrl.get());
        SameOrigin.requireJson(ctx, false);
        String example = "{\"name\": \"ann\", \"password\": \"...\"}";
        JsonNode body = JsonBody.read(mapper, ctx.body(), example);
        JsonBody.requireObject(body, Set.of("name", "password"), "a sign-in", example);
        Map.Entry<People.Secret, People.SignedIn> in =
                people.signIn(text(body, "name"), text(body, "password"), ctx.ip());
        long seconds = Math.max(0, (in.getKey().expiresAt() - System.currentTimeMillis()) / 1000);
        ctx.header("Set-Cookie", cookie(ctx, in.getKey().value(), seconds));
        ctx.status(201).json(session(in.getValue()));
    }

    private static String cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean tls = ctx.scheme().equals("https") || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return Sessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : "");
    }

    private Map<String, Object> session(People.SignedIn s) {
        Map<String, Object> out = new LinkedHashMap<>(json(s.person()));
        out.put("csrfToken", s.csrf());
        return out;
    }

    private Map<String, Object> link(People.Secret link) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("signInLink", publicUrl.get() + "/sign-in?link=" + link.value());
        out.put("link", link.value());
        out.put("linkExpiresAt", EventTime.format(Instant.ofEpochMilli(link.expiresAt())));
        out.put(
                "next",
                "Send the link to the person, privately: it is shown once. They set a password with it"
                        + " (POST /v1/people/password {\"link\", \"password\"}), then sign in (POST /v1/session).");
        return out;
    }

    private Map<String, Object> json(Person p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("team", p.team());
        // which side approvals count the person on; null when their team is no longer declared
        out.put("side", people.sideOf(p.team()));
        out.put("role", p.role().wireName());
        out.put("passwordSet", p.hasPassword());
        out.put("createdAt", EventTime.format(Instant.ofEpochMilli(p.createdAt())));
        return out;
    }

    private static String resource(String name) {
        try (java.io.InputStream in = PeopleRoutes.class.getResourceAsStream("/people/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the build lacks /people/" + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A field that may be left out (null: unchanged); present with another type, it is "" and refused as invalid. */
    private static String given(JsonNode body, String field) {
        return body.has(field) ? body.get(field).isTextual() ? body.get(field).asText() : "" : null;
    }

    private static String text(JsonNode body, String field) {
        return body.path(field).isTextual() ? body.get(field).asText() : null;
    }
}
