package dev.tandem.console;

import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Customers: find a profile by any identifier ({@code type:value}) and its 360 view, each part read
 * from the Profile API with the viewer's session, so personal data is masked for their role as there.
 */
final class CustomerPages {
    /** A profile's parts as the Profile API answered them; null when nothing was looked up yet. */
    record Profile(
            Answer traits,
            Answer metadata,
            Answer identifiers,
            Answer consent,
            Answer audiences,
            Answer events,
            Answer merges) {}

    record Model(Frame frame, String query, String error, Profile profile) {}

    private final Console console;

    CustomerPages(Console console) {
        this.console = console;
    }

    void register(Routes routes) {
        routes.get("/customers", Access.OPEN, console.page((ctx, viewer) -> {
            Frame frame = new Frame(viewer, "Customers", "/customers");
            if (!viewer.may("profiles:read")) {
                ctx.status(403);
                console.render(
                        ctx,
                        "customers.jte",
                        new Model(
                                frame, "", viewer.refusal("Customer profiles", "roles that read personal data"), null));
                return;
            }
            String query =
                    ctx.queryParam("id") == null ? "" : ctx.queryParam("id").trim();
            if (query.isEmpty()) {
                console.render(ctx, "customers.jte", new Model(frame, "", null, null));
                return;
            }
            if (!query.matches("[A-Za-z0-9_]{1,64}:.+")) {
                console.render(
                        ctx,
                        "customers.jte",
                        new Model(
                                frame,
                                query,
                                "Write an identifier as type:value, such as email:ann@example.com or user_id:u-42.",
                                null));
                return;
            }
            String base = "/v1/profiles/"
                    + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
            Api api = console.api();
            Answer traits = api.get(viewer, base + "/traits");
            if (!traits.ok()) {
                console.render(ctx, "customers.jte", new Model(frame, query, traits.message(), null));
                return;
            }
            Profile profile = new Profile(
                    traits,
                    api.get(viewer, base + "/metadata"),
                    api.get(viewer, base + "/external_ids"),
                    api.get(viewer, base + "/consent"),
                    api.get(viewer, base + "/audiences"),
                    api.get(viewer, base + "/events?limit=10&order=desc"),
                    api.get(viewer, base + "/merges"));
            console.render(ctx, "customers.jte", new Model(frame, query, null, profile));
        }));
    }
}
