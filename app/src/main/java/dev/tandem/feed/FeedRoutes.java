package dev.tandem.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.audit.AuditEntry;
import dev.tandem.audit.AuditLog;
import dev.tandem.error.BadRequest;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.wire.EventTime;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /v1/feed} (JSON Feed 1.1) and {@code GET /v1/feed.atom} (Atom 1.0), newest first,
 * filtered by {@code topic} and {@code object}, paged with {@code before}: for anyone with the
 * {@code feed:read} scope (every role holds it) or the admin token.
 */
final class FeedRoutes {
    static final Access READ = Access.scope("feed:read");
    /** Entries looked at for one page: filters that match little give short pages, never slow ones. */
    private static final int SCAN = 2_000;

    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final FeedJson json;
    private final Supplier<String> publicUrl;

    FeedRoutes(AuditLog audit, ObjectMapper mapper, FeedJson json, Supplier<String> publicUrl) {
        this.audit = audit;
        this.mapper = mapper;
        this.json = json;
        this.publicUrl = publicUrl;
    }

    void register(Routes routes) {
        routes.get("/v1/feed", READ, this::jsonFeed);
        routes.get("/v1/feed.atom", READ, this::atom);
    }

    private record Page(List<FeedItem> items, Long before) {}

    private Page page(Context ctx) {
        String topic = ctx.queryParam("topic");
        if (topic != null && Topic.named(topic).isEmpty()) {
            throw new BadRequest("invalid_topic", "'topic' must be one of " + Topic.WIRE_NAMES + ".", "topic");
        }
        String object = ctx.queryParam("object");
        if (object != null && object.length() > 200) {
            throw new BadRequest("invalid_object", "'object' is at most 200 characters.", "object");
        }
        long before = number(ctx.queryParam("before"), 0, "before");
        int limit = (int) number(ctx.queryParam("limit"), 50, "limit");
        if (limit < 1 || limit > 500) {
            throw new BadRequest("invalid_limit", "'limit' must be a whole number from 1 to 500.", "limit");
        }
        List<FeedItem> items = new ArrayList<>();
        List<AuditEntry> scanned = audit.recent(before, SCAN);
        Long next = null;
        for (AuditEntry e : scanned) {
            FeedItem.of(e, mapper)
                    .filter(i -> topic == null || i.topic().wireName().equals(topic))
                    .filter(i -> object == null || i.object().equals(object))
                    .ifPresent(items::add);
            if (items.size() == limit) {
                next = e.id();
                break;
            }
        }
        if (next == null && scanned.size() == SCAN) {
            next = scanned.getLast().id();
        }
        return new Page(items, next);
    }

    private void jsonFeed(Context ctx) {
        Page page = page(ctx);
        String base = publicUrl.get();
        ObjectNode out = mapper.createObjectNode();
        out.put("version", "https://jsonfeed.org/version/1.1");
        out.put("title", "Tandem: what changed");
        out.put("home_page_url", base + "/");
        out.put("feed_url", base + "/v1/feed");
        if (page.before() != null) {
            out.put("next_url", base + "/v1/feed?before=" + page.before() + query(ctx));
        }
        ArrayNode items = out.putArray("items");
        page.items().forEach(i -> items.add(json.item(i)));
        ctx.contentType("application/feed+json").result(out.toString());
    }

    private void atom(Context ctx) {
        Page page = page(ctx);
        String base = publicUrl.get();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n")
                .append("  <title>Tandem: what changed</title>\n")
                .append("  <id>urn:tandem:feed</id>\n")
                .append("  <link rel=\"self\" href=\"")
                .append(xml(base + "/v1/feed.atom"))
                .append("\"/>\n")
                .append("  <updated>")
                .append(EventTime.format(Instant.ofEpochMilli(
                        page.items().isEmpty() ? 0 : page.items().getFirst().at())))
                .append("</updated>\n");
        for (FeedItem i : page.items()) {
            xml.append("  <entry>\n    <id>urn:tandem:audit:")
                    .append(i.id())
                    .append("</id>\n    <title>")
                    .append(xml(i.title()))
                    .append("</title>\n    <updated>")
                    .append(EventTime.format(Instant.ofEpochMilli(i.at())))
                    .append("</updated>\n    <author><name>")
                    .append(xml(i.actor()))
                    .append("</name></author>\n    <category term=\"")
                    .append(i.topic().wireName())
                    .append("\"/>\n    <summary>")
                    .append(xml(i.title()))
                    .append("</summary>\n  </entry>\n");
        }
        xml.append("</feed>\n");
        ctx.contentType("application/atom+xml; charset=utf-8").result(xml.toString());
    }

    private static String query(Context ctx) {
        StringBuilder q = new StringBuilder();
        for (String name : List.of("topic", "object", "limit")) {
            String v = ctx.queryParam(name);
            if (v != null) {
                q.append('&')
                        .append(name)
                        .append('=')
                        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    /** Text for XML: the five special characters escaped, and characters XML 1.0 cannot hold left out. */
    static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c == 0x9
                            || c == 0xA
                            || c == 0xD
                            || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD)
                            || c >= 0x10000) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    private static long number(String text, long otherwise, String name) {
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequest("invalid_" + name, "'" + name + "' must be a whole number of 0 or more.", name);
    }
}
