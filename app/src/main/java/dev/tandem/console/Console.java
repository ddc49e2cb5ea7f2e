package dev.tandem.console;

import dev.tandem.error.Unauthorized;
import dev.tandem.people.People;
import dev.tandem.people.Sessions;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What the console's pages share: the signed-in viewer, the JSON API, and the precompiled templates. */
final class Console {
    /** Pages run the console's own scripts only (no inline script), and talk to Tandem only. */
    static final String POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The most a console form may send: a builder with dozens of conditions is a few KB. */
    static final int MAX_FORM_BYTES = 64 * 1024;

    /** A page's work, given the person it is for. */
    interface Page {
        void handle(Context ctx, Viewer viewer) throws Exception;
    }

    private final Sessions sessions;
    private final Api api;
    private final TemplateEngine templates =
            TemplateEngine.createPrecompiled(null, ContentType.Html, null, "dev.tandem.console");

    Console(Sessions sessions, Api api) {
        this.sessions = sessions;
        this.api = api;
    }

    Api api() {
        return api;
    }

    /**
     * A handler for a page: a visitor who is not signed in (or whose session ended) is sent to the
     * sign-in page, which sends them back here once signed in.
     */
    Handler page(Page page) {
        return ctx -> {
            Optional<Viewer> viewer = viewer(ctx);
            if (viewer.isEmpty()) {
                String back = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                if (ctx.header("HX-Request") != null) {
                    ctx.header("HX-Redirect", "/sign-in?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
                    ctx.status(401);
                    return;
                }
                ctx.redirect("/sign-in?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
                return;
            }
            if (ctx.contentLength() > MAX_FORM_BYTES || ctx.bodyAsBytes().length > MAX_FORM_BYTES) {
                throw new dev.tandem.error.BadRequest(
                        "body_too_large",
                        "The form sent more than " + MAX_FORM_BYTES / 1024
                                + " KB; shorten its fields and send it again.");
            }
            ctx.header("Content-Security-Policy", POLICY)
                    .header("Cache-Control", "no-store")
                    .header("Referrer-Policy", "same-origin");
            page.handle(ctx, viewer.get());
        };
    }

    /** Renders {@code template} (a file under src/main/jte) with its one parameter, {@code model}. */
    void render(Context ctx, String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        ctx.html(out.toString());
    }

    private Optional<Viewer> viewer(Context ctx) {
        try {
            Optional<People.SignedIn> in = sessions.of(ctx);
            return in.map(s -> Viewer.of(s, ctx.cookie(Sessions.COOKIE)));
        } catch (Unauthorized expired) {
            return Optional.empty();
        }
    }
}
