package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls a Tandem server's admin API with the admin token; a non-2xx answer becomes its error message. */
final class AdminClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = Json.mapper();
    private final String server;
    private final String token;

    AdminClient(String server, String token) {
        if (token == null || token.isBlank()) {
            throw new CommandFailure("No admin token: pass --token or export TANDEM_ADMIN_TOKEN "
                    + "(the server printed it at its first start).");
        }
        this.server = server.replaceAll("/+$", "");
        this.token = token;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(server + path)).GET());
    }

    JsonNode post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(server + path))
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    JsonNode put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(server + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(server + path)).DELETE());
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(
                    request.header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? mapper.createObjectNode() : mapper.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                throw new CommandFailure(
                        body.path("error").path("message").asText("the server answered " + response.statusCode()));
            }
            return body;
        } catch (IOException e) {
            throw new CommandFailure("Cannot reach Tandem at " + server + " (" + e.getMessage()
                    + "); is it running? Pass --server with its address.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
