package dev.tandem.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.govern.ErasureRecipients;
import dev.tandem.identity.Identifier;
import dev.tandem.wire.EventTime;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * An erasure reaches the tools: every configured destination that received data of the erased
 * profiles is owed one {@code delete} message, queued in the erasure's transaction like any outbox
 * row (retried, dead-lettered with its reason if the tool never takes it). The message names the
 * subject by every identifier Tandem held, since the tool knows it by those:
 * {@code {"type": "delete", "messageId", "userIds", "anonymousIds", "identifiers": {type: [values]},
 * "timestamp", "context": {"tandem": {"privacyRequest", "profileIds"}}}}.
 */
final class ErasureDeletions implements ErasureRecipients {
    private final OutboxStore store;
    private final Predicate<String> configured;
    private final ObjectMapper mapper;

    ErasureDeletions(OutboxStore store, Predicate<String> configured, ObjectMapper mapper) {
        this.store = store;
        this.configured = configured;
        this.mapper = mapper;
    }

    @Override
    public List<String> queueDeletions(
            Handle h, Collection<Long> profiles, List<Identifier> identifiers, String requestId, long now) {
        if (profiles.isEmpty()) {
            return List.of();
        }
        List<String> to =
                store.recipients(h, profiles).stream().filter(configured).toList();
        if (to.isEmpty()) {
            return to;
        }
        ObjectNode m = mapper.createObjectNode();
        m.put("type", "delete");
        m.put("messageId", "tandem-delete-" + requestId);
        ArrayNode users = m.putArray("userIds");
        ArrayNode anonymous = m.putArray("anonymousIds");
        ObjectNode byType = m.putObject("identifiers");
        for (Identifier id : identifiers) {
            if (id.type().equals("user_id")) {
                users.add(id.value());
            } else if (id.type().equals("anonymous_id")) {
                anonymous.add(id.value());
            }
            if (!(byType.get(id.type()) instanceof ArrayNode)) {
                byType.putArray(id.type());
            }
            ((ArrayNode) byType.get(id.type())).add(id.value());
        }
        m.put("timestamp", EventTime.format(Instant.ofEpochMilli(now)));
        ObjectNode tandem = m.putObject("context").putObject("tandem");
        tandem.put("privacyRequest", requestId);
        ArrayNode ids = tandem.putArray("profileIds");
        profiles.forEach(p -> ids.add(Long.toString(p)));
        store.queueMessage(h, to, m.toString(), now);
        return to;
    }
}
