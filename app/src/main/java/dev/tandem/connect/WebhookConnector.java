package dev.tandem.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code webhook}: POSTs {@code {"batch": [...]}} of Segment-spec messages to a URL, signed as
 * Standard Webhooks 1.0 says ({@code webhook-id} is the batch's delivery id, the idempotency key;
 * {@code webhook-timestamp}; {@code webhook-signature}), with custom headers and a timeout. An
 * erasure arrives as a message of type {@code delete} in a batch like any other.
 */
public final class WebhookConnector implements ConnectorType {
    static final SettingSpec<URI> URL = SettingSpec.url("url", null, "where to POST, an http or https URL");
    static final SettingSpec<String> SECRET = SettingSpec.secret(
            "secret", "the Standard Webhooks signing secret, whsec_ and base64", StandardWebhooks::problem);
    static final SettingSpec<Map<String, String>> HEADERS =
            SettingSpec.headers("headers", "extra headers sent with every request");
    static final SettingSpec<Duration> TIMEOUT = SettingSpec.duration(
            "timeout", Duration.ofSeconds(10), Duration.ofSeconds(120), "how long to wait for an answer");
    static final SettingSpec<Integer> MAX_BATCH =
            SettingSpec.integer("maxBatch", 500, 1, 10_000, "messages per request at most; 1 sends one at a time");

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String description() {
        return "POSTs batches of Segment-spec messages to a URL, signed as Standard Webhooks 1.0";
    }

    @Override
    public List<SettingSpec<?>> settings() {
        return List.of(URL, SECRET, HEADERS, TIMEOUT, MAX_BATCH);
    }

    @Override
    public DeliveryStyle style(Settings settings) {
        return DeliveryStyle.upTo(settings.get(MAX_BATCH));
    }

    @Override
    public Connector open(Settings settings, ConnectorContext context) {
        return new Open(settings, context.mapper(), context.clock());
    }

    private static final class Open implements Connector {
        private final URI url;
        private final String secret;
        private final Map<String, String> headers;
        private final Duration timeout;
        private final ObjectMapper mapper;
        private final Clock clock;
        private final HttpClient http;

        Open(Settings settings, ObjectMapper mapper, Clock clock) {
            this.url = settings.get(URL);
            this.secret = settings.get(SECRET);
            this.headers = settings.get(HEADERS);
            this.timeout = settings.get(TIMEOUT);
            this.mapper = mapper;
            this.clock = clock;
            this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        }

        @Override
        public List<Outcome> deliver(DeliveryBatch batch) throws IOException, InterruptedException {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode list = body.putArray("batch");
            batch.items().forEach(d -> list.add(d.message()));
            byte[] bytes = mapper.writeValueAsBytes(body);
            long timestamp = clock.millis() / 1000;
            HttpRequest.Builder request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("webhook-id", batch.id())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", StandardWebhooks.sign(secret, batch.id(), timestamp, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            headers.forEach(request::header);
            Outcome outcome;
            try {
                outcome = HttpOutcomes.of(
                        http.send(request.build(), HttpResponse.BodyHandlers.ofString()), clock.instant());
            } catch (IOException e) {
                outcome = HttpOutcomes.failed(e, timeout);
            }
            return Collections.nCopies(batch.items().size(), outcome);
        }

        @Override
        public void close() {
            http.close();
        }
    }
}
