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
        return new Scope(scope);
    }

    record Open() implements Access {}

    record Admin() implements Access {}

    record Scope(String scope) implements Access {}
}
