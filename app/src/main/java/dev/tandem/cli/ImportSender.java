package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Posts batches to Tandem's public {@code /v1/batch} with the source's write key, as an SDK does,
 * on a few connections at once. Honours {@code Retry-After} on 429 and 503 (for up to ten
 * minutes a batch), retries other 5xx and connection failures with backoff, and stops the import
 * on any other refusal with the server's own message. Each batch's answer says which events
 * Tandem refused (and kept in its quarantine) and how many it had stored before.
 */
final class ImportSender implements AutoCloseable {
    private static final int MAX_FAILURES = 6;
    private static final Duration MAX_WAITING = Duration.ofMinutes(10);

    /** Tandem's answer to one batch: events stored, of them stored before, and refused by index. */
    record Receipt(int accepted, int duplicates, List<Refused> refused) {}

    record Refused(int index, String code, String message, String field) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper;
    private final URI target;
    private final String authorization;
    private final PrintWriter notes;
    private final ExecutorService senders;

    ImportSender(ObjectMapper mapper, String server, String writeKey, int connections, PrintWriter notes) {
        this.mapper = mapper;
        this.target = URI.create(server.replaceAll("/+$", "") + "/v1/batch");
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.notes = notes;
        this.senders = Executors.newFixedThreadPool(
                connections,
                r -> Thread.ofPlatform().daemon().name("import-sender").unstarted(r));
    }

    /** Sends one batch body ({@code {"batch": [...]}}) in the background. */
    Future<Receipt> send(byte[] body) {
        return senders.submit(() -> post(body));
    }

    private Receipt post(byte[] body) throws InterruptedException {
        long waitingUntil = System.nanoTime() + MAX_WAITING.toNanos();
        int failures = 0;
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (++failures >= MAX_FAILURES) {
                    throw new CommandFailure("Cannot reach Tandem at " + target + " (" + e.getMessage()
                            + "). Check --server; run the same command again to continue where the import stopped.");
                }
                Thread.sleep(Math.min(8_000, 500L << failures));
                continue;
            }
            int status = response.statusCode();
            if (status == 200) {
                return receipt(response.body());
            }
            if (status == 429 || status == 503) {
                long seconds = retryAfter(response);
                if (System.nanoTime() + seconds * 1_000_000_000L > waitingUntil) {
                    throw new CommandFailure("Tandem kept answering " + status + " for " + MAX_WAITING.toMinutes()
                            + " minutes (" + message(response) + "); run the same command again later to continue.");
                }
                note("Tandem answered " + status + " (" + message(response) + "); retrying in " + seconds + " s.");
                Thread.sleep(seconds * 1000);
                continue;
            }
            if (status >= 500 && ++failures < MAX_FAILURES) {
                note("Tandem answered " + status + " (" + message(response) + "); retrying.");
                Thread.sleep(Math.min(8_000, 500L << failures));
                continue;
            }
            String hint = status == 401 || status == 403
                    ? " Check --write-key, or the source name with 'tandem sources list'."
                    : " Run the same command again to continue once it is fixed.";
            throw new CommandFailure("Tandem refused a batch with " + status + ": " + message(response) + hint);
        }
    }

    private synchronized void note(String text) {
        notes.println();
        notes.println(text);
        notes.flush();
    }

    private Receipt receipt(String body) {
        try {
            JsonNode node = mapper.readTree(body);
            List<Refused> refused = new ArrayList<>();
            for (JsonNode r : node.path("rejected")) {
                refused.add(new Refused(
                        r.path("index").asInt(),
                        r.path("code").asText(),
                        r.path("message").asText(),
                        r.path("field").isTextual() ? r.path("field").asText() : null));
            }
            return new Receipt(
                    node.path("accepted").asInt(), node.path("duplicates").asInt(), refused);
        } catch (IOException e) {
            throw new CommandFailure("Tandem answered 200 with a body that is not its receipt: " + e.getMessage()
                    + "; is --server a Tandem server?");
        }
    }

    private static long retryAfter(HttpResponse<String> response) {
        String value = response.headers().firstValue("Retry-After").orElse("1").trim();
        try {
            return Math.max(1, Math.min(60, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            try {
                var at = java.time.ZonedDateTime.parse(value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(
                        1,
                        Math.min(
                                60,
                                Duration.between(java.time.Instant.now(), at.toInstant())
                                        .toSeconds()));
            } catch (java.time.format.DateTimeParseException unreadable) {
                return 5;
            }
        }
    }

    private String message(HttpResponse<String> response) {
        try {
            JsonNode error = mapper.readTree(response.body()).path("error");
            if (error.has("message")) {
                return error.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not Tandem's JSON error: the body itself is the best message
        }
        String body = response.body();
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
