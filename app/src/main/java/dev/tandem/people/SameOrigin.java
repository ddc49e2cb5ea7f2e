package dev.tandem.people;

import dev.tandem.error.Forbidden;
import dev.tandem.error.UnsupportedMediaType;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;

/**
 * What keeps another site's page from acting through a visitor's browser (login CSRF, and a second
 * wall behind the session's CSRF token): a browser names the page that sent a request in {@code
 * Origin} (and {@code Sec-Fetch-Site}), and a form or a {@code text/plain} body is all another site can
 * post without asking first. So a request whose origin is not Tandem's {@code publicUrl} is refused,
 * and so is a body of any other type than the route reads. Clients that are not browsers send no
 * {@code Origin} and pass.
 */
final class SameOrigin {
    private SameOrigin() {}

    /** Refuses a request a browser says came from another site than {@code publicUrl}. */
    static void require(Context ctx, String publicUrl) {
        String origin = ctx.header("Origin");
        String site = ctx.header("Sec-Fetch-Site");
        boolean foreign = origin != null ? !normal(origin).equals(normal(publicUrl)) : "cross-site".equals(site);
        if (foreign) {
            throw new Forbidden(
                    "foreign_origin",
                    "This request comes from a page of another site (" + (origin == null ? "cross-site" : origin)
                            + "), and Tandem takes sign-ins and signed-in changes from its own pages only ("
                            + publicUrl + "); if that is Tandem's address, set the server setting publicUrl to it.");
        }
    }

    /** Refuses a body that is not JSON ({@code form}: a form post, which carries its own {@code _csrf}, passes too). */
    static void requireJson(Context ctx, boolean form) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        boolean json = type.startsWith("application/json");
        boolean formPost = form && type.startsWith("application/x-www-form-urlencoded");
        if (!json && !formPost && (!form || hasBody(ctx))) {
            throw new UnsupportedMediaType(
                    "unsupported_media_type",
                    "This route reads JSON: send the body with 'Content-Type: application/json'"
                            + (type.isEmpty() ? "" : " (not " + type + ")") + ".");
        }
    }

    private static boolean hasBody(Context ctx) {
        String length = ctx.header("Content-Length");
        return ctx.header("Transfer-Encoding") != null
                || (length != null && !length.trim().equals("0"));
    }

    /** An origin as {@code scheme://host[:port]}, lower case, without a default port. */
    private static String normal(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + host + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            return "invalid:" + origin;
        }
    }
}
