package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.config.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP receiver on a free port (the JDK's server), as a tool on the other end of a webhook
 * would be: it records every request it answered with its headers and body, and answers as
 * {@link #answer} says (a status, a Retry-After, a delay before answering).
 */
public final class Receiver implements AutoCloseable {
    private static final ObjectMapper MAPPER = Json.mapper();

    /** How to answer one request: the status, a Retry-After value (or null), and milliseconds to wait first. */
    public record Answer(int status, String retryAfter, long delayMillis) {
        public static final Answer OK = new Answer(200, null, 0);
    }

    /** One request as received, and the status it was answered with (a 2xx may have come after the sender's timeout). */
    public record Request(String path, Map<String, List<String>> headers, String body, int status) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** The messages of a {"batch": [...]} body. */
        List<JsonNode> messages() {
            List<JsonNode> out = new ArrayList<>();
            json().path("batch").forEach(out::add);
            return out;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> answer = r -> Answer.OK;

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(Function<Request, Answer> how) {
        this.answer = how;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request seen = new Request(exchange.getRequestURI().getPath(), Map.copyOf(lowerCase(exchange)), body, 0);
        Answer a = answer.apply(seen);
        // recorded on arrival, with the answer it will get: the order requests were sent in, even when
        // an answer is delayed past the sender's timeout
        requests.add(new Request(seen.path(), seen.headers(), body, a.status()));
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (a.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", a.retryAfter());
        }
        byte[] out = (a.status() / 100 == 2 ? "{\"ok\":true}" : "{\"error\":\"status " + a.status() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(a.status(), out.length);
            exchange.getResponseBody().write(out);
        } catch (IOException clientGone) {
            // the sender gave up waiting: it will send again
        } finally {
            exchange.close();
        }
    }

    private static Map<String, List<String>> lowerCase(HttpExchange exchange) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
        return out;
    }

    /** Every request answered so far, in the order answered. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The messages of the requests answered with a 2xx, in order. */
    List<JsonNode> accepted() {
        List<JsonNode> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.status() / 100 == 2) {
                out.addAll(r.messages());
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
