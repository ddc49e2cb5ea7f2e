package dev.tandem.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.StoredEvent;
import dev.tandem.error.BadRequest;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.identity.MergeRecord;
import dev.tandem.identity.ProfileIdentifier;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.protect.ReadPolicy;
import dev.tandem.wire.Cursors;
import dev.tandem.wire.EventTime;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The Profile API, shaped like Segment's: {@code GET /v1/profiles/{type}:{value}/traits},
 * {@code /metadata}, {@code /external_ids}, {@code /events} (cursor-paged with {@code next} and
 * {@code limit}, oldest first or with {@code order=desc} newest first) and {@code /merges}. Any identifier of a profile finds it, normalised as events
 * are; {@code profile_id:<n>} finds it by id. The server guards these with the
 * {@code profiles:read} scope.
 */
final class ProfileRoutes {
    private static final Cursors EVENT_PAGES = new Cursors("next", 20, 200);

    private final IdentityLookup identities;
    private final ProfileStore store;
    private final ProfileRules rules;
    private final InboxReader inbox;
    private final Function<String, String> sourceName;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ReadPolicy reads;

    public ProfileRoutes(
            ProfileReader profiles,
            IdentityLookup identities,
            InboxReader inbox,
            ReadPolicy reads,
            ObjectMapper mapper) {
        this.identities = identities;
        this.store = profiles.store;
        this.rules = profiles.rules;
        this.inbox = inbox;
        this.sourceName = profiles.sourceName;
        this.mapper = mapper;
        this.clock = profiles.clock;
        this.reads = reads;
    }

    public void register(Routes routes) {
        routes.get("/v1/profiles/{id}/traits", Access.scope("profiles:read"), this::traits);
        routes.get("/v1/profiles/{id}/metadata", Access.scope("profiles:read"), this::metadata);
        routes.get("/v1/profiles/{id}/external_ids", Access.scope("profiles:read"), this::externalIds);
        routes.get("/v1/profiles/{id}/events", Access.scope("profiles:read"), this::events);
        routes.get("/v1/profiles/{id}/merges", Access.scope("profiles:read"), this::merges);
        routes.get("/v1/profiles/{id}/consent", Access.scope("profiles:read"), this::consent);
    }

    /** The profile's traits and computed traits (a computed trait hides a trait of the same name); {@code include} picks some. */
    private void traits(Context ctx) {
        long id = profile(ctx);
        ProfileDoc doc = store.load(id).orElseGet(ProfileDoc::empty);
        Set<String> include = include(ctx);
        ObjectNode body = body(id);
        ObjectNode traits = body.putObject("traits");
        doc.traits().properties().forEach(e -> {
            if (include == null || include.contains(e.getKey())) {
                traits.set(e.getKey(), e.getValue().get("v"));
            }
        });
        long now = clock.millis();
        for (ComputedTrait t : rules.computedTraits()) {
            if (include == null || include.contains(t.name())) {
                traits.set(t.name(), t.value(doc.computedState(t.name()), now));
            }
        }
        cursor(body, ctx, false, "");
        ctx.json(reads.filter(ctx, id, body));
    }

    /** For each purpose of the catalog: allowed or not, the lawful basis, the customer's stated choice and its signal; then the history. */
    private void consent(Context ctx) {
        long id = profile(ctx);
        ProfileDoc doc = store.load(id).orElseGet(ProfileDoc::empty);
        ObjectNode body = body(id);
        ObjectNode purposes = body.putObject("purposes");
        ObjectNode stated = doc.consentState();
        rules.purposes().catalog().values().forEach(p -> {
            JsonNode choice = stated.get(p.name());
            ObjectNode item = purposes.putObject(p.name());
            item.put(
                    "allowed",
                    p.allowed(choice == null ? null : choice.path("g").asBoolean()));
            item.put("lawful_basis", p.lawfulBasis().wireName());
            if (choice == null) {
                item.putNull("stated");
            } else {
                item.put("stated", choice.path("g").asBoolean())
                        .put("signal", choice.path("sig").asText())
                        .put("at", time(choice.path("t").asLong()));
            }
        });
        ArrayNode history = body.putArray("history");
        for (ConsentChange row : store.consentHistory(id)) {
            history.addObject()
                    .put("purpose", row.purpose())
                    .put("granted", row.granted())
                    .put("signal", row.signal())
                    .put("at", time(row.at()))
                    .put("message_id", row.messageId());
        }
        ctx.json(body);
    }

    private void metadata(Context ctx) {
        long id = profile(ctx);
        ProfileDoc doc = store.load(id).orElseGet(ProfileDoc::empty);
        ObjectNode body = body(id);
        body.put("first_seen", time(doc.firstSeen()));
        body.put("last_seen", time(doc.lastSeen()));
        body.put("events", doc.events());
        body.set("channels", doc.array("channels"));
        ArrayNode sources = body.putArray("sources");
        doc.array("sources").forEach(s -> sources.add(sourceName.apply(s.asText())));
        ctx.json(body);
    }

    private void externalIds(Context ctx) {
        long id = profile(ctx);
        ObjectNode body = body(id);
        ArrayNode data = body.putArray("data");
        for (ProfileIdentifier p : identities.identifiers(id)) {
            String shown = reads.identifier(ctx, id, p.type(), p.value());
            if (shown == null) {
                continue;
            }
            data.addObject()
                    .put("type", p.type())
                    .put("id", shown)
                    .put("source", sourceName.apply(p.sourceId()))
                    .put("created_at", time(p.firstSeen()))
                    .put("collection", "users")
                    .put("encoding", "none");
        }
        cursor(body, ctx, false, "");
        ctx.json(body);
    }

    private void events(Context ctx) {
        long id = profile(ctx);
        long after = EVENT_PAGES.after(ctx);
        int limit = EVENT_PAGES.limit(ctx);
        boolean newestFirst = newestFirst(ctx);
        List<Long> seqs = store.eventSeqs(id, after, limit + 1, newestFirst);
        boolean more = seqs.size() > limit;
        List<StoredEvent> page = new java.util.ArrayList<>(inbox.eventsAt(more ? seqs.subList(0, limit) : seqs));
        if (newestFirst) {
            java.util.Collections.reverse(page);
        }
        ObjectNode body = body(id);
        ArrayNode data = body.putArray("data");
        for (StoredEvent e : page) {
            try {
                data.add(reads.filter(ctx, id, (ObjectNode) mapper.readTree(e.payload())));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("Inbox event " + e.seq() + " is not JSON", ex);
            }
        }
        cursor(
                body,
                ctx,
                more,
                page.isEmpty() ? "" : Long.toString(page.get(page.size() - 1).seq()));
        ctx.json(body);
    }

    private void merges(Context ctx) {
        long id = profile(ctx);
        ObjectNode body = body(id);
        ArrayNode data = body.putArray("data");
        for (MergeRecord m : identities.merges(id)) {
            ObjectNode item =
                    data.addObject().put("kept", Long.toString(m.kept())).put("merged", Long.toString(m.merged()));
            item.putObject("identifier")
                    .put("type", m.by().type())
                    .put("id", reads.identifier(ctx, id, m.by().type(), m.by().value()));
            item.put("message_id", m.messageId()).put("at", time(m.at()));
        }
        ctx.json(body);
    }

    private long profile(Context ctx) {
        return identities.require(ctx.pathParam("id"));
    }

    private ObjectNode body(long id) {
        return mapper.createObjectNode().put("profile_id", Long.toString(id));
    }

    private static void cursor(ObjectNode body, Context ctx, boolean more, String next) {
        body.putObject("cursor").put("url", ctx.path()).put("has_more", more).put("next", more ? next : "");
    }

    private static Set<String> include(Context ctx) {
        String include = ctx.queryParam("include");
        return include == null || include.isBlank() ? null : new HashSet<>(List.of(include.split(",")));
    }

    private static boolean newestFirst(Context ctx) {
        String order = ctx.queryParam("order");
        if (order == null || order.equals("asc")) {
            return false;
        }
        if (order.equals("desc")) {
            return true;
        }
        throw new BadRequest(
                "invalid_order",
                "'order' must be 'asc' (oldest first, the default) or 'desc' (newest first).",
                "order");
    }

    private static String time(long millis) {
        return millis == 0 ? null : EventTime.format(Instant.ofEpochMilli(millis));
    }
}
