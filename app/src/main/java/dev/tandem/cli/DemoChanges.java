package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The demo's change waiting for two keys: mia (a marketer) proposes a destination that would
 * receive personal data, raj (an IT steward) gives the first key with conditions (hash the email,
 * for 90 days), and the change waits for a second key from marketing. Their passwords are random
 * and never shown: they exist to sign in once and get tokens of their own.
 */
final class DemoChanges {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DemoChanges() {}

    static void show(AdminClient admin, String url, String token) {
        String mia = person(admin, url, "mia", "marketing", "marketer");
        String raj = person(admin, url, "raj", "it", "steward");
        JsonNode proposed = new AdminClient(url, mia).post("/v1/changes", """
                        {"kind": "destination", "key": "crm_export", "declaration": {"type": "file",
                         "owners": ["marketing", "it"], "settings": {"directory": "exports/crm", "format": "jsonl"},
                         "purposes": ["analytics"], "identifies": true}}""");
        long id = proposed.path("id").asLong();
        JsonNode approved = new AdminClient(url, raj)
                .post(
                        "/v1/changes/" + id + "/approve",
                        "{\"comment\": \"Yes, with the email hashed, for a quarter.\", "
                                + "\"conditions\": {\"hash\": [\"email\"], \"expires\": \"90d\"}}");
        System.out.println(
                "  a change waiting for two keys: mia (marketing) proposed the destination 'crm_export', which"
                        + " would receive personal data ("
                        + proposed.path("tier").asText() + " tier); raj (IT) approved it with"
                        + " conditions (hash email, 90 days); it still needs "
                        + String.join(", ", texts(approved.path("needs")))
                        + ":");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' '" + url + "/v1/changes?status=pending'");
        System.out.println("    ./tandem config export --server " + url + " --token " + token
                + " --out api-objects.yaml   (then config plan / config apply, docs/changes.md)");
    }

    /** Adds a person with a random password, signs in once and returns a token of theirs for the change routes. */
    private static String person(AdminClient admin, String url, String name, String team, String role) {
        JsonNode added = admin.post(
                "/v1/admin/people",
                "{\"name\": \"" + name + "\", \"team\": \"" + team + "\", \"role\": \"" + role + "\"}");
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        send(
                url,
                "/v1/people/password",
                "{\"link\": \"" + added.path("link").asText() + "\", \"password\": \"" + password + "\"}",
                null,
                null);
        HttpResponse<String> in = send(
                url, "/v1/session", "{\"name\": \"" + name + "\", \"password\": \"" + password + "\"}", null, null);
        String cookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        String csrf = json(in).path("csrfToken").asText();
        HttpResponse<String> made = send(
                url,
                "/v1/session/tokens",
                "{\"name\": \"" + name + "-demo\", \"scopes\": [\"changes:read\", \"changes:write\"]}",
                cookie.substring(0, cookie.indexOf(';')),
                csrf);
        return json(made).path("token").asText();
    }

    private static HttpResponse<String> send(String url, String path, String body, String cookie, String csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie).header("X-CSRF-Token", csrf);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new CommandFailure(
                        "The demo's " + path + " failed: " + response.statusCode() + " " + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new CommandFailure("The demo could not reach " + url + path + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("Interrupted");
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new CommandFailure("The demo got an answer that is not JSON: " + response.body());
        }
    }

    private static java.util.List<String> texts(JsonNode list) {
        java.util.List<String> out = new java.util.ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }
}
