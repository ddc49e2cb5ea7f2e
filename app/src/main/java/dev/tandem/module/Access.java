package dev.tandem.module;

/**
 * Who may call a route, declared with the route. Checked before the handler runs, by the server's
 * {@link Gatekeeper}: the admin token for {@link Admin}, an API token holding the scope (or the
 * admin token) for {@link Scope}. {@link Open} routes check their own credentials, such as a
 * source's write key, or need none (health).
 */
public sealed interface Access {
    Access OPEN = new Open();
    Access ADMIN = new Admin();

    static Access scope(String scope) {
        return new Scope(scope, java.util.List.of());
    }

    /** A route that needs every one of these scopes, such as one that reads journeys and reveals a profile's. */
    static Access scopes(String scope, String... also) {
        return new Scope(scope, java.util.List.of(also));
    }

    record Open() implements Access {}

    record Admin() implements Access {}

    /** {@code scope} and every one of {@code also}. */
    record Scope(String scope, java.util.List<String> also) implements Access {
        public java.util.List<String> all() {
            java.util.List<String> out = new java.util.ArrayList<>();
            out.add(scope);
            out.addAll(also);
            return out;
        }
    }
}
