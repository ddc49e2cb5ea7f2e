package dev.tandem.govern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tandem.collect.InboxReader;
import dev.tandem.config.Json;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.error.NotFound;
import dev.tandem.identity.Identifier;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.wire.EventTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Takes privacy requests shaped like OpenDSR: checks them, finds the subject's profiles, keeps the
 * identities as SHA-256 only, and for an erasure suppresses the identities at once (events that
 * carry them are not stored from this moment). The {@link PrivacyWork} carries them out.
 */
final class PrivacyRequests {
    /** OpenDSR identity types and the Tandem identifier type each names. */
    static final Map<String, String> IDENTITY_TYPES = Map.of(
            "email",
            "email",
            "phone_number",
            "phone",
            "phone",
            "phone",
            "controller_customer_id",
            "user_id",
            "user_id",
            "user_id",
            "android_advertising_id",
            "advertising_id",
            "ios_advertising_id",
            "advertising_id",
            "anonymous_id",
            "anonymous_id",
            "device_id",
            "device_id");

    /** When requests are due: {@code within} of their arrival. */
    public record Deadline(Clock clock, Duration within) {}

    private final Jdbi jdbi;
    private final PrivacyStore store;
    private final IdentityLookup identities;
    private final Suppressions suppressions;
    private final InboxReader inbox;
    private final Deadline deadline;
    private final ObjectMapper mapper = Json.mapper();
    private PrivacyWork stage;

    public PrivacyRequests(
            PrivacyStore store,
            IdentityLookup identities,
            Suppressions suppressions,
            InboxReader inbox,
            Deadline deadline) {
        this.jdbi = store.jdbi();
        this.store = store;
        this.identities = identities;
        this.suppressions = suppressions;
        this.inbox = inbox;
        this.deadline = deadline;
    }

    /** The stage that carries requests out, woken when one arrives. */
    void carriedOutBy(PrivacyWork stage) {
        this.stage = stage;
    }

    PrivacyRequest submit(JsonNode body, String actor) {
        String id = text(body, "subject_request_id");
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(
                    "invalid_request_id",
                    "'subject_request_id' must be a UUID such as 'a7551968-d5d6-44b2-9831-815ac9017798'.",
                    "subject_request_id");
        }
        PrivacyRequest.Type type = PrivacyRequest.Type.named(text(body, "subject_request_type"));
        if (type == null) {
            throw new BadRequest(
                    "invalid_request_type",
                    "'subject_request_type' must be one of " + PrivacyRequest.Type.WIRE_NAMES + ".",
                    "subject_request_type");
        }
        long received = deadline.clock().millis();
        long submitted = received;
        if (body.hasNonNull("submitted_time")) {
            Instant at = EventTime.parse(body.get("submitted_time").asText());
            if (at == null) {
                throw new BadRequest(
                        "invalid_submitted_time",
                        "'submitted_time' must be an RFC 3339 time such as 2026-11-20T10:00:00Z.",
                        "submitted_time");
            }
            submitted = at.toEpochMilli();
        }
        List<Identifier> ids = identities(body.get("subject_identities"));
        if (store.get(id).isPresent()) {
            throw new Conflict(
                    "request_exists",
                    "A request with subject_request_id " + id + " exists; GET /opendsr/requests/" + id
                            + " for its status.",
                    "subject_request_id");
        }
        List<Long> profiles = new ArrayList<>();
        for (Identifier i : ids) {
            identities.profileOf(i).ifPresent(p -> {
                if (!profiles.contains(p)) {
                    profiles.add(p);
                }
            });
        }
        ArrayNode hashed = mapper.createArrayNode();
        ids.forEach(i -> hashed.addObject().put("type", i.type()).put("sha256", Suppressions.hash(i)));
        long due = received + deadline.within().toMillis();
        PrivacyRequest request = new PrivacyRequest(
                id,
                type,
                PrivacyRequest.Status.PENDING,
                new PrivacyRequest.Times(submitted, received, due, 0),
                hashed.toString(),
                profiles,
                inbox.latestSeq(),
                null,
                null);
        jdbi.useTransaction(h -> {
            store.insert(h, request, actor);
            if (request.erasure()) {
                suppressions.add(h, id, ids, received);
            }
        });
        if (request.erasure()) {
            suppressions.addNow(ids);
        }
        if (stage != null) {
            stage.wake();
        }
        return request;
    }

    PrivacyRequest get(String id) {
        return store.get(id)
                .orElseThrow(() -> new NotFound("request_not_found", "No privacy request has the id " + id + "."));
    }

    List<PrivacyRequest> list(int limit) {
        return store.list(limit);
    }

    private List<Identifier> identities(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new BadRequest(
                    "missing_identities",
                    "'subject_identities' must list at least one identity, such as "
                            + "{\"identity_type\": \"email\", \"identity_value\": \"ann@example.com\", \"identity_format\": \"raw\"}.",
                    "subject_identities");
        }
        List<Identifier> out = new ArrayList<>();
        for (JsonNode item : list) {
            String type = IDENTITY_TYPES.get(item.path("identity_type").asText());
            if (type == null) {
                throw new BadRequest(
                        "unsupported_identity_type",
                        "'identity_type' must be one of " + new java.util.TreeSet<>(IDENTITY_TYPES.keySet())
                                + "; see GET /opendsr/discovery.",
                        "subject_identities");
            }
            String format = item.path("identity_format").asText("raw");
            if (!format.equals("raw")) {
                throw new BadRequest(
                        "unsupported_identity_format",
                        "Only 'raw' identities are supported: Tandem does not keep hashes to match " + "'" + format
                                + "' against.",
                        "subject_identities");
            }
            Identifier id =
                    suppressions.normalized(type, item.path("identity_value").asText(""));
            if (id == null) {
                throw new BadRequest(
                        "invalid_identity",
                        "'" + item.path("identity_value").asText("") + "' is not a valid " + type + ".",
                        "subject_identities");
            }
            out.add(id);
        }
        return out;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new BadRequest("missing_field", "'" + field + "' is required.", field);
        }
        return v.asText();
    }

    static String time(long millis) {
        return EventTime.format(Instant.ofEpochMilli(millis));
    }
}
