package dev.tandem.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.audit.AuditLog;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.schedule.Scheduler;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /v1/admin/subscriptions}: subscribe a webhook to topics of the feed (the signing secret is
 * shown once), list and remove subscriptions. A new subscription starts at the log's end: it gets
 * what happens from now on, the first digest a day later.
 */
final class SubscriptionRoutes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Subscriptions subscriptions;
    private final AuditLog audit;
    private final Scheduler scheduler;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final boolean allowPrivate;

    /** @param allowPrivate whether a subscriber may be at an internal address ({@link ReceiverAddress}) */
    SubscriptionRoutes(
            Subscriptions subscriptions,
            AuditLog audit,
            Scheduler scheduler,
            ObjectMapper mapper,
            Clock clock,
            boolean allowPrivate) {
        this.subscriptions = subscriptions;
        this.audit = audit;
        this.scheduler = scheduler;
        this.mapper = mapper;
        this.clock = clock;
        this.allowPrivate = allowPrivate;
    }

    void register(Routes routes) {
        routes.get(
                "/v1/admin/subscriptions",
                Access.ADMIN,
                ctx -> ctx.json(Map.of(
                        "subscriptions",
                        subscriptions.all().stream().map(s -> json(s, false)).toList())));
        routes.post("/v1/admin/subscriptions", Access.ADMIN, ctx -> {
            String example = "{\"url\": \"https://hooks.example/tandem\", \"topics\": [\"people\", \"changes\"],"
                    + " \"format\": \"json\"}";
            JsonNode body = JsonBody.read(mapper, ctx.body(), example);
            JsonBody.requireObject(body, Set.of("url", "topics", "format"), "a subscription", example);
            String url = url(body.path("url"));
            ReceiverAddress.refusal(url, allowPrivate).ifPresent(why -> {
                throw new BadRequest(
                        "internal_address",
                        "Tandem does not post the feed to " + ReceiverAddress.redacted(url) + ": " + why
                                + ". Give a public URL, or set the server setting subscriptionsAllowPrivate: true"
                                + " for a receiver inside this network.",
                        "url");
            });
            List<Topic> topics = topics(body.path("topics"));
            String format = body.path("format").asText("json");
            if (!format.equals("json") && !format.equals("slack")) {
                throw new BadRequest(
                        "invalid_format",
                        "'format' must be json ({\"items\": [...]}) or slack ({\"text\": ...}, for Slack-compatible incoming webhooks).",
                        "format");
            }
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            long head = audit.head().size();
            Subscription s = new Subscription(
                    UUID.randomUUID().toString(),
                    url,
                    topics,
                    format,
                    "whsec_" + Base64.getEncoder().encodeToString(key),
                    new Subscription.Positions(head, head, clock.millis() + FeedDelivery.DIGEST_EVERY.toMillis()));
            subscriptions.insert(s, clock.millis());
            scheduler.schedule(FeedDelivery.KIND, s.id(), clock.instant(), null);
            ctx.status(201).json(json(s, true));
        });
        routes.delete("/v1/admin/subscriptions/{id}", Access.ADMIN, ctx -> {
            String id = ctx.pathParam("id");
            if (!subscriptions.delete(id)) {
                throw new NotFound(
                        "unknown_subscription",
                        "No subscription has the id '" + id + "'; see GET /v1/admin/subscriptions.");
            }
            scheduler.cancel(FeedDelivery.KIND, id);
            ctx.status(204);
        });
    }

    private static String url(JsonNode node) {
        String url = node.isTextual() ? node.asText() : "";
        try {
            URI uri = URI.create(url);
            if (url.length() <= 2_000
                    && uri.getHost() != null
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new BadRequest(
                "invalid_url",
                "'url' must be an http or https URL of at most 2,000 characters, where Tandem POSTs.",
                "url");
    }

    private static List<Topic> topics(JsonNode node) {
        List<Topic> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode t : node) {
                Topic topic = Topic.named(t.asText()).orElse(null);
                if (topic == null || !t.isTextual()) {
                    out.clear();
                    break;
                }
                if (!out.contains(topic)) {
                    out.add(topic);
                }
            }
        }
        if (out.isEmpty()) {
            throw new BadRequest(
                    "invalid_topics", "'topics' must list one or more of " + Topic.WIRE_NAMES + ".", "topics");
        }
        return out;
    }

    private static Map<String, Object> json(Subscription s, boolean withSecret) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        // the URL is a secret (a Slack webhook's path is its key): it is shown as scheme and host only
        out.put("url", ReceiverAddress.redacted(s.url()));
        out.put("topics", s.topics().stream().map(Topic::wireName).toList());
        out.put("format", s.format());
        if (withSecret) {
            out.put("secret", s.secret());
            out.put(
                    "next",
                    "Keep the secret: it is shown once. Verify each POST's webhook-signature with it, as Standard Webhooks says.");
        }
        return out;
    }
}
