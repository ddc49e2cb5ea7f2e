package dev.tandem.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Sends events to {@code /v1/batch} as an SDK would: batches of up to 100, the write key by HTTP
 * Basic, {@code sentAt} on each batch, retrying 429 and 5xx after the server's Retry-After.
 * Paces to {@code rate} events per second (0: as fast as the server takes them) and prints
 * progress once a second.
 */
final class BatchSender {
    private static final int BATCH = 100;
    private static final int MAX_ATTEMPTS = 10;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper;
    private final URI target;
    private final String authorization;
    private final Clock clock;
    private final PrintStream progress;

    BatchSender(ObjectMapper mapper, String target, String writeKey, Clock clock, PrintStream progress) {
        this.mapper = mapper;
        this.target = URI.create(target.replaceAll("/+$", "") + "/v1/batch");
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.progress = progress;
    }

    /** Sends every event; returns how many the server refused into its quarantine. */
    Result send(List<SimulatedEvent> events, double rate) throws InterruptedException {
        long startNanos = System.nanoTime();
        long lastReport = startNanos;
        int sent = 0;
        int rejected = 0;
        for (int from = 0; from < events.size(); from += BATCH) {
            List<SimulatedEvent> slice = events.subList(from, Math.min(events.size(), from + BATCH));
            rejected += post(body(slice));
            sent += slice.size();
            if (rate > 0) {
                long due = startNanos + (long) (sent / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            long now = System.nanoTime();
            if (now - lastReport > 1_000_000_000L || sent == events.size()) {
                lastReport = now;
                double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
                progress.printf(
                        "  sent %,d of %,d events (%d%%), %,.0f events/s, %,d refused%n",
                        sent, events.size(), sent * 100L / Math.max(1, events.size()), sent / seconds, rejected);
            }
        }
        return new Result(sent, rejected, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    record Result(int sent, int rejected, Duration took) {}

    private byte[] body(List<SimulatedEvent> slice) throws InterruptedException {
        Instant now = clock.instant();
        ObjectNode body = mapper.createObjectNode();
        ArrayNode batch = body.putArray("batch");
        Duration skew = Duration.ZERO;
        for (SimulatedEvent e : slice) {
            ObjectNode event = e.json().deepCopy();
            event.put("timestamp", e.at().plus(e.clockSkew()).toString());
            event.put("sentAt", now.plus(e.clockSkew()).toString());
            batch.add(event);
            skew = e.clockSkew();
        }
        body.put("sentAt", now.plus(skew).toString());
        body.putObject("context")
                .putObject("library")
                .put("name", "tandem-simulator")
                .put("version", "0.1.0");
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int post(byte[] body) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    JsonNode rejected = mapper.readTree(response.body()).path("rejected");
                    return rejected.size();
                }
                if ((status != 429 && status < 500) || attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException(
                            "The server answered " + status + " to a batch: " + response.body());
                }
                long retryAfter =
                        response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Math.min(30, retryAfter) * 1000);
            } catch (IOException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException(
                            "Cannot reach " + target + ": " + e.getMessage()
                                    + ". Is the server running? Check --target.",
                            e);
                }
                Thread.sleep(Math.min(5_000, 200L * attempt));
            }
        }
    }
}
