package dev.tandem.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a destination's change of health to its alert URL, off the evaluating thread, as
 * {@code {"destination", "state", "previous", "at", "reasons", "deliveredRatio", "latencyP95Ms",
 * "backlog", "oldestWaitingAgeMs"}}; a failed POST is logged, not retried (the change is in the
 * history either way).
 */
final class Alerts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final ObjectMapper mapper;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("destination-alerts").daemon(true).unstarted(r));

    Alerts(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void send(URI url, String destination, Health.State previous, Health health, long at) {
        ObjectNode body = mapper.createObjectNode();
        body.put("destination", destination);
        body.put("state", health.state().wireName());
        body.put("previous", previous.wireName());
        body.put("at", Instant.ofEpochMilli(at).toString());
        health.reasons().forEach(body.putArray("reasons")::add);
        body.put("deliveredRatio", health.totals().deliveredRatio());
        body.put("latencyP95Ms", health.totals().p95Millis());
        body.put("backlog", health.waiting().count());
        body.put(
                "oldestWaitingAgeMs",
                health.waiting().oldestReceivedAt() == 0
                        ? 0
                        : at - health.waiting().oldestReceivedAt());
        String json = body.toString();
        sender.execute(() -> {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(url)
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 != 2) {
                    log.atWarn()
                            .addKeyValue("destination", destination)
                            .addKeyValue("status", response.statusCode())
                            .log("the alert webhook refused a health change");
                }
            } catch (java.io.IOException e) {
                log.atWarn()
                        .addKeyValue("destination", destination)
                        .addKeyValue("error", e.toString())
                        .log("the alert webhook could not be reached");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        http.close();
    }
}
