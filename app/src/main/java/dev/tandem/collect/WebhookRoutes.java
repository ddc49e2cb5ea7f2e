package dev.tandem.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.error.Unauthorized;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.wire.WriteKeys;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/webhook?writeKey=KEY}, where a SaaS tool posts its own JSON (or form) payloads,
 * as RudderStack's webhook source takes them; the write key may come by HTTP Basic instead. The
 * source's declared {@link WebhookMapping} makes events of the payload; they are checked and
 * stored as tracking calls are, and what the mapping fails on is kept in the quarantine. The
 * answer is 200 once everything is stored (events or quarantine), with each refusal listed, so the
 * tool does not send the payload again; 4xx when nothing was stored.
 */
final class WebhookRoutes {
    private final Sources sources;
    private final Map<String, WebhookMapping> mappings;
    private final Collector collector;
    private final ObjectMapper mapper;
    private final ObjectReader json;
    private final DiskGuard disk;
    private final BodyReader bodies;

    /** @param mappings the declared mappings by source name */
    WebhookRoutes(
            Sources sources,
            Map<String, WebhookMapping> mappings,
            Collector collector,
            ObjectMapper mapper,
            DiskGuard disk,
            BodyReader bodies) {
        this.sources = sources;
        this.mappings = mappings;
        this.collector = collector;
        this.mapper = mapper;
        this.json = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.disk = disk;
        this.bodies = bodies;
    }

    void register(Routes routes) {
        routes.post("/v1/webhook", Access.OPEN, this::receive);
    }

    private void receive(Context ctx) {
        disk.check();
        Source source = source(ctx);
        WebhookMapping mapping = mappings.get(source.name());
        if (mapping == null) {
            throw new NotFound(
                    "no_webhook_mapping",
                    "Source '" + source.name() + "' takes no webhooks: declare how its payloads become events "
                            + "under 'webhook:' for it in tandem.yaml (see docs/collect.md).");
        }
        Map<String, String> headers = headers(ctx);
        Map<String, String> query = query(ctx);
        bodies.receive(
                ctx,
                Limits.SEGMENT.maxBatchBytes(),
                "webhook_too_large",
                "the 500 KB limit for one webhook payload",
                body -> {
                    JsonNode payload = payload(body, ctx.contentType());
                    List<WebhookMapping.Mapped> mapped = mapping.map(payload, headers, query, body);
                    ctx.json(collector.collectMapped(source, mapped, mapper));
                });
    }

    private Source source(Context ctx) {
        String key = WriteKeys.fromAuthorization(ctx.header("Authorization"));
        if (key == null) {
            key = ctx.queryParam("writeKey");
        }
        if (key == null || key.isEmpty()) {
            throw new Unauthorized(
                    "missing_write_key",
                    "Put the source's write key in the webhook URL (/v1/webhook?writeKey=...) or send it as HTTP Basic user name.");
        }
        return sources.byWriteKey(key)
                .orElseThrow(() -> new Unauthorized(
                        "unknown_write_key",
                        "No source has that write key; check the webhook URL, or see 'tandem sources list'."));
    }

    private JsonNode payload(byte[] body, String contentType) {
        if (contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return form(new String(body, StandardCharsets.UTF_8));
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new BadRequest("invalid_json", "The body is empty; the webhook takes a JSON payload.");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new BadRequest(
                    "invalid_json", "The body is not valid JSON" + where + ": " + e.getOriginalMessage() + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A form body as an object of texts; a name given twice becomes a list. */
    private ObjectNode form(String body) {
        ObjectNode object = mapper.createObjectNode();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("invalid_form", "The form body has a bad %-escape in '" + pair + "'.");
            }
            JsonNode existing = object.get(name);
            if (existing == null) {
                object.put(name, value);
            } else if (existing instanceof ArrayNode list) {
                list.add(value);
            } else {
                object.putArray(name).add(existing).add(value);
            }
        }
        return object;
    }

    private static Map<String, String> headers(Context ctx) {
        Map<String, String> headers = new HashMap<>();
        ctx.headerMap().forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (!name.equals("authorization") && !name.equals("cookie")) {
                headers.put(name, v);
            }
        });
        return Map.copyOf(headers);
    }

    private static Map<String, String> query(Context ctx) {
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!k.equals("writeKey") && !v.isEmpty()) {
                query.put(k, v.get(0));
            }
        });
        return Map.copyOf(query);
    }
}
