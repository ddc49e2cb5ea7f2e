package dev.tandem.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.connect.StandardWebhooks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * POSTs feed items to a subscriber, signed as Standard Webhooks 1.0 says ({@code webhook-id}, the
 * same for every attempt at the same items, so a receiver drops repeats; {@code webhook-timestamp};
 * {@code webhook-signature}). A non-2xx answer or no answer throws, and the job tries again later.
 */
final class FeedSender implements AutoCloseable {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper;
    private final FeedJson json;
    private final Clock clock;
    private final boolean allowPrivate;

    /** @param allowPrivate whether a subscriber may be at an internal address ({@link ReceiverAddress}) */
    FeedSender(ObjectMapper mapper, FeedJson json, Clock clock, boolean allowPrivate) {
        this.mapper = mapper;
        this.json = json;
        this.clock = clock;
        this.allowPrivate = allowPrivate;
    }

    /** Sends, or throws with a message that names the subscriber by scheme and host only (its URL is a secret). */
    void send(Subscription to, String id, List<FeedItem> items, boolean digest) {
        String shown = ReceiverAddress.redacted(to.url());
        // again at every delivery: the name may resolve to an internal address by now
        ReceiverAddress.refusal(to.url(), allowPrivate).ifPresent(why -> {
            throw new IllegalStateException("not sent to the subscriber at " + shown + ": " + why
                    + "; Tandem posts the feed to public addresses only (server setting subscriptionsAllowPrivate)");
        });
        byte[] body = body(to, items, digest).getBytes(StandardCharsets.UTF_8);
        long now = clock.millis() / 1000;
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create(to.url()))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .header("webhook-id", id)
                            .header("webhook-timestamp", Long.toString(now))
                            .header("webhook-signature", StandardWebhooks.sign(to.secret(), id, now, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        "the subscriber at " + shown + " answered " + response.statusCode() + "; trying again later");
            }
        } catch (IOException e) {
            // not chained: the cause's message, logged with it, may hold the whole URL
            String what = e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(to.url(), shown));
            throw new IllegalStateException(
                    "the subscriber at " + shown + " could not be reached (" + what + "); trying again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the feed", e);
        }
    }

    private String body(Subscription to, List<FeedItem> items, boolean digest) {
        if (to.format().equals("slack")) {
            StringBuilder text = new StringBuilder(digest ? "Tandem, today:\n" : "");
            items.forEach(i -> text.append(digest ? "• " : "").append(i.title()).append('\n'));
            return mapper.createObjectNode()
                    .put("text", text.toString().strip())
                    .toString();
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("digest", digest);
        ArrayNode list = out.putArray("items");
        items.forEach(i -> list.add(json.item(i)));
        return out.toString();
    }

    @Override
    public void close() {
        http.close();
    }
}
