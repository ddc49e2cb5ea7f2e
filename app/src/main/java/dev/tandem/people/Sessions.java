package dev.tandem.people;

import dev.tandem.error.Forbidden;
import dev.tandem.error.Unauthorized;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A request's session, from its {@value #COOKIE} cookie. A session's unsafe requests (anything but
 * GET, HEAD, OPTIONS) must carry its CSRF token, as the {@value #CSRF_HEADER} header or, for a form
 * post, the {@code _csrf} field: a cookie alone, which another site can make a browser send, is never
 * enough to change anything. Such a request must also come from Tandem's own pages (a foreign {@code
 * Origin} is refused) and carry JSON or a form, never a {@code text/plain} body ({@link SameOrigin}).
 * Bearer tokens need no CSRF token: browsers do not send them by themselves.
 */
public final class Sessions {
    public static final String COOKIE = "tandem_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final People people;
    private final java.util.function.Supplier<String> publicUrl;

    Sessions(People people, java.util.function.Supplier<String> publicUrl) {
        this.people = people;
        this.publicUrl = publicUrl;
    }

    /** The signed-in person of this request, when it carries a valid session cookie (CSRF checked for unsafe methods). */
    public Optional<People.SignedIn> of(Context ctx) {
        String secret = ctx.cookie(COOKIE);
        if (secret == null) {
            return Optional.empty();
        }
        People.SignedIn s = people.session(secret)
                .orElseThrow(() -> new Unauthorized(
                        "session_expired",
                        "The session has expired or was ended; sign in again with POST /v1/session."));
        String method = ctx.method().name();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS")) {
            SameOrigin.require(ctx, publicUrl.get());
            String sent = ctx.header(CSRF_HEADER);
            if (sent == null && isForm(ctx)) {
                sent = ctx.formParam("_csrf");
            }
            if (sent == null
                    || !MessageDigest.isEqual(
                            sent.getBytes(StandardCharsets.UTF_8), s.csrf().getBytes(StandardCharsets.UTF_8))) {
                throw new Forbidden(
                        "csrf_refused",
                        "A signed-in change needs the session's CSRF token as the " + CSRF_HEADER
                                + " header (or the _csrf form field); GET /v1/session returns it.");
            }
            SameOrigin.requireJson(ctx, true);
        }
        return Optional.of(s);
    }

    /** The signed-in person, or 401 saying how to sign in. */
    public People.SignedIn require(Context ctx) {
        return of(ctx).orElseThrow(() -> new Unauthorized(
                "not_signed_in", "Sign in first with POST /v1/session {\"name\": ..., \"password\": ...}."));
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.startsWith("application/x-www-form-urlencoded");
    }
}
