package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.StoredEvent;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ProfileView;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.profile.ProfileReader;
import dev.tandem.wire.EventTime;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Segment-spec message each outbox row stands for, as Tandem has it (before the policy
 * gate): the stored event for an event row; an identify with the profile's traits as they are now
 * for an identify row; a track {@code Audience Entered} or {@code Audience Exited} for an audience
 * row; the stored message itself for replays and deletions. Every message carries its
 * {@code messageId}, {@code type}, the profile's {@code userId} and {@code anonymousId},
 * {@code timestamp} and {@code context.tandem.profileId}. Rows whose source is gone (an erased
 * event or profile) have no message.
 */
final class Messages {
    private final InboxReader inbox;
    private final ProfileReader profiles;
    private final IdentityLookup identities;
    private final ObjectMapper mapper;

    Messages(InboxReader inbox, ProfileReader profiles, IdentityLookup identities, ObjectMapper mapper) {
        this.inbox = inbox;
        this.profiles = profiles;
        this.identities = identities;
        this.mapper = mapper;
    }

    /** The message of each row that still has one, by outbox id. */
    Map<Long, ObjectNode> build(List<OutboxRow> rows) {
        Map<Long, ObjectNode> out = new HashMap<>();
        List<Long> seqs = new ArrayList<>();
        List<Long> profileIds = new ArrayList<>();
        for (OutboxRow r : rows) {
            if (r.kind().equals(OutboxRow.EVENT)) {
                seqs.add(r.seq());
            } else if (!r.kind().equals(OutboxRow.MESSAGE)) {
                profileIds.add(r.profileId());
            }
        }
        Map<Long, JsonNode> events = new HashMap<>();
        for (StoredEvent e : inbox.eventsAt(seqs)) {
            events.put(e.seq(), parse(e.payload()));
        }
        Map<Long, Map<String, List<String>>> ids =
                profileIds.isEmpty() ? Map.of() : identities.identifiersByType(profileIds);
        Map<Long, ProfileView> views = new HashMap<>();
        for (OutboxRow r : rows) {
            ObjectNode message = switch (r.kind()) {
                case OutboxRow.EVENT -> event(events.get(r.seq()), r);
                case OutboxRow.IDENTIFY -> identify(r, views, ids.get(r.profileId()));
                case OutboxRow.AUDIENCE -> audience(r, ids.get(r.profileId()));
                default -> (ObjectNode) parse(r.detail());
            };
            if (message != null) {
                out.put(r.id(), message);
            }
        }
        return out;
    }

    /**
     * The profile variables a mapping reads ({@link Facts#profile}), per profile; a profile that is
     * gone reads as nobody.
     */
    Map<Long, Map<String, Object>> profileFacts(java.util.Collection<Long> profileIds) {
        Map<Long, Map<String, List<String>>> ids =
                profileIds.isEmpty() ? Map.of() : identities.identifiersByType(List.copyOf(profileIds));
        Map<Long, Map<String, Object>> out = new HashMap<>();
        for (long p : profileIds) {
            out.put(p, Facts.profile(profiles.view(p).orElse(null), ids.getOrDefault(p, Map.of())));
        }
        return out;
    }

    private ObjectNode event(JsonNode stored, OutboxRow row) {
        if (!(stored instanceof ObjectNode event)) {
            return null;
        }
        event.remove(List.of("writeKey", "receivedAt", "sentAt"));
        tandem(event, row.profileId());
        return event;
    }

    private ObjectNode identify(OutboxRow row, Map<Long, ProfileView> views, Map<String, List<String>> ids) {
        ProfileView view =
                views.computeIfAbsent(row.profileId(), p -> profiles.view(p).orElse(null));
        if (view == null || ids == null) {
            return null;
        }
        ObjectNode m = base("identify", row, ids);
        ObjectNode traits = m.putObject("traits");
        view.traits().forEach(traits::set);
        ObjectNode computed = child(child(m, "context"), "tandem").putObject("computed");
        view.computed().forEach(computed::set);
        return m;
    }

    private ObjectNode audience(OutboxRow row, Map<String, List<String>> ids) {
        if (ids == null) {
            return null;
        }
        JsonNode detail = parse(row.detail());
        ObjectNode m = base("track", row, ids);
        boolean entered = detail.path("entered").asBoolean();
        m.put("event", entered ? "Audience Entered" : "Audience Exited");
        m.putObject("properties").put("audience_key", detail.path("audience").asText());
        return m;
    }

    private ObjectNode base(String type, OutboxRow row, Map<String, List<String>> ids) {
        ObjectNode m = mapper.createObjectNode();
        m.put("type", type);
        m.put("messageId", "tandem-" + row.kind() + "-" + row.id());
        first(ids, "user_id").ifPresent(v -> m.put("userId", v));
        first(ids, "anonymous_id").ifPresent(v -> m.put("anonymousId", v));
        m.put("timestamp", EventTime.format(Instant.ofEpochMilli(row.receivedAt())));
        tandem(m, row.profileId());
        return m;
    }

    private static java.util.Optional<String> first(Map<String, List<String>> ids, String type) {
        List<String> values = ids.get(type);
        return values == null || values.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(values.get(0));
    }

    private static void tandem(ObjectNode message, long profileId) {
        child(child(message, "context"), "tandem").put("profileId", Long.toString(profileId));
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("an outbox message is not JSON: " + e.getMessage(), e);
        }
    }
}
