package dev.tandem.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.wire.EventTime;
import java.time.Instant;

/** A feed item as JSON Feed 1.1 writes one, with Tandem's own fields under {@code _tandem}. */
final class FeedJson {
    private final ObjectMapper mapper;

    FeedJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode item(FeedItem i) {
        ObjectNode out = mapper.createObjectNode();
        out.put("id", "tandem-audit-" + i.id());
        out.put("title", i.title());
        out.put("content_text", i.title());
        out.put("date_published", EventTime.format(Instant.ofEpochMilli(i.at())));
        out.putArray("tags").add(i.topic().wireName());
        ObjectNode own = out.putObject("_tandem");
        own.put("topic", i.topic().wireName());
        own.put("object", i.object());
        own.put("actor", i.actor());
        own.put("auditId", i.id());
        own.put("urgent", i.topic().urgent());
        return out;
    }
}
