package dev.tandem.change;

import dev.tandem.testing.Http;
import dev.tandem.testing.Staff;
import dev.tandem.testing.TestServer;

/** People of a test workspace, each signed in once and holding a token of their own for the change routes. */
final class Team {
    private Team() {}

    /** Adds a person, sets their password, signs in and returns a token of theirs with the change scopes (analysts: read). */
    static String person(TestServer server, String name, String team, String role) {
        String scopes = role.equals("analyst") ? "[\"changes:read\"]" : "[\"changes:read\", \"changes:write\"]";
        return Staff.person(server, name, team, role, scopes);
    }

    static Http.Response send(TestServer server, String token, String method, String path, String body) {
        return Staff.send(server, token, method, path, body);
    }
}
