package dev.tandem.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code segment}: forwards to any Segment-compatible tracking API (Segment, RudderStack, another
 * Tandem) as {@code POST <url>/v1/batch} with the write key by HTTP Basic, so Tandem can sit in
 * front of an existing workspace. Deletions (erasures) go to {@code deleteUrl} in the shape of
 * Segment's regulations ({@code SUPPRESS_WITH_DELETE} by user id); without one they are rejected
 * with that reason, kept as dead letters.
 */
public final class SegmentConnector implements ConnectorType {
    static final SettingSpec<URI> URL = SettingSpec.url(
            "url", URI.create("https://api.segment.io"), "the tracking API's base URL; /v1/batch is added");
    static final SettingSpec<String> WRITE_KEY = SettingSpec.secret(
            "writeKey",
            "the source's write key there",
            key -> key.length() > 200 ? "'writeKey' is longer than 200 characters." : null);
    static final SettingSpec<Optional<URI>> DELETE_URL = SettingSpec.optionalUrl(
            "deleteUrl", "where deletions are POSTed, as Segment's regulations (omit: deletions are dead letters)");
    static final SettingSpec<Duration> TIMEOUT = SettingSpec.duration(
            "timeout", Duration.ofSeconds(10), Duration.ofSeconds(120), "how long to wait for an answer");
    static final SettingSpec<Integer> MAX_BATCH =
            SettingSpec.integer("maxBatch", 100, 1, 500, "messages per request at most (Segment takes 500 KB a batch)");

    @Override
    public String name() {
        return "segment";
    }

    @Override
    public String description() {
        return "forwards to a Segment-compatible tracking API (Segment, RudderStack, another Tandem) with a write key";
    }

    @Override
    public List<SettingSpec<?>> settings() {
        return List.of(URL, WRITE_KEY, DELETE_URL, TIMEOUT, MAX_BATCH);
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
        private final URI batchUrl;
        private final Optional<URI> deleteUrl;
        private final String auth;
        private final Duration timeout;
        private final ObjectMapper mapper;
        private final Clock clock;
        private final HttpClient http;

        Open(Settings settings, ObjectMapper mapper, Clock clock) {
            String base = settings.get(URL).toString().replaceAll("/+$", "");
            this.batchUrl = URI.create(base + "/v1/batch");
            this.deleteUrl = settings.get(DELETE_URL);
            this.auth = "Basic "
                    + Base64.getEncoder()
                            .encodeToString((settings.get(WRITE_KEY) + ":").getBytes(StandardCharsets.UTF_8));
            this.timeout = settings.get(TIMEOUT);
            this.mapper = mapper;
            this.clock = clock;
            this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        }

        @Override
        public List<Outcome> deliver(DeliveryBatch batch) throws IOException, InterruptedException {
            Outcome[] outcomes = new Outcome[batch.items().size()];
            List<Integer> tracked = new ArrayList<>();
            List<Integer> deletes = new ArrayList<>();
            for (int i = 0; i < outcomes.length; i++) {
                (isDelete(batch.items().get(i)) ? deletes : tracked).add(i);
            }
            if (!tracked.isEmpty()) {
                ObjectNode body = mapper.createObjectNode();
                ArrayNode list = body.putArray("batch");
                tracked.forEach(i -> list.add(batch.items().get(i).message()));
                body.put("sentAt", clock.instant().toString());
                Outcome outcome = post(batchUrl, body);
                tracked.forEach(i -> outcomes[i] = outcome);
            }
            for (int i : deletes) {
                outcomes[i] = delete(batch.items().get(i));
            }
            return Arrays.asList(outcomes);
        }

        private static boolean isDelete(Delivery d) {
            return "delete".equals(d.message().path("type").asText());
        }

        /** Segment's regulation: suppress and delete by user id. */
        private Outcome delete(Delivery d) throws IOException, InterruptedException {
            if (deleteUrl.isEmpty()) {
                return new Outcome.Rejected(
                        "this segment destination has no 'deleteUrl', so it cannot ask the tool to delete a subject;"
                                + " set one, then replay this dead letter",
                        "");
            }
            ObjectNode body = mapper.createObjectNode();
            body.put("regulationType", "SUPPRESS_WITH_DELETE");
            body.put("subjectType", "USER_ID");
            ArrayNode ids = body.putArray("subjectIds");
            d.message().path("userIds").forEach(ids::add);
            if (ids.isEmpty()) {
                return new Outcome.Delivered("no user id to delete by; nothing was sent");
            }
            return post(deleteUrl.get(), body);
        }

        private Outcome post(URI url, ObjectNode body) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)))
                    .build();
            try {
                return HttpOutcomes.of(http.send(request, HttpResponse.BodyHandlers.ofString()), clock.instant());
            } catch (IOException e) {
                return HttpOutcomes.failed(e, timeout);
            }
        }

        @Override
        public void close() {
            http.close();
        }
    }
}
