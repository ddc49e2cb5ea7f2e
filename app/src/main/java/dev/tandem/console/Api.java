package dev.tandem.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tandem.people.Sessions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The JSON API as the console calls it: over loopback, with the viewer's session cookie (and, for a
 * change, its CSRF token), so the server's gates judge and mask each call exactly as they would the
 * person's own browser calling the API. Why not call the services directly: the API is the one place
 * that decides who may see what; a second path through the services would be a second such place.
 */
final class Api {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final IntSupplier port;
    private final ObjectMapper mapper;

    Api(IntSupplier port, ObjectMapper mapper) {
        this.port = port;
        this.mapper = mapper;
    }

    Answer get(Viewer viewer, String path) {
        return send(viewer, "GET", path, null);
    }

    Answer post(Viewer viewer, String path, Object body) {
        return send(viewer, "POST", path, body);
    }

    Answer put(Viewer viewer, String path, Object body) {
        return send(viewer, "PUT", path, body);
    }

    Answer delete(Viewer viewer, String path) {
        return send(viewer, "DELETE", path, null);
    }

    /** The server's Prometheus text, which needs no session. */
    String metrics() {
        try {
            return client.send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private Answer send(Viewer viewer, String method, String path, Object body) {
        HttpRequest.Builder request = request(path).header("Cookie", Sessions.COOKIE + "=" + viewer.session());
        try {
            if (!method.equals("GET")) {
                request.header(Sessions.CSRF_HEADER, viewer.csrf());
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)));
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text == null || text.isBlank() || !text.trim().startsWith("{")
                    ? MissingNode.getInstance()
                    : mapper.readTree(text);
            return new Answer(response.statusCode(), json);
        } catch (IOException e) {
            return Answer.failed("The console could not reach Tandem's API at " + path + " (" + e.getMessage()
                    + "); check that the server is up, then reload.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed("Interrupted while asking " + path + "; reload the page.");
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json");
    }
}
