package dev.tandem.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import dev.tandem.profile.ProfileReader;
import dev.tandem.wire.Cursors;
import dev.tandem.wire.EventTime;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Audience API: {@code GET /v1/audiences} (with sizes and computation progress),
 * {@code /v1/audiences/{key}}, {@code /members} (cursor-paged JSON, or all of them as CSV with
 * {@code format=csv}), {@code /history} (size over time), {@code /events} (Audience Entered and
 * Exited), {@code POST /v1/audiences/preview} for an unsaved condition, and
 * {@code GET /v1/profiles/{id}/audiences}. The server guards them with {@code audiences:read}
 * (the profile route with {@code profiles:read}).
 */
final class AudienceRoutes {
    private static final Cursors MEMBER_PAGES = new Cursors("next", 100, 1_000);
    private static final Cursors EVENT_PAGES = new Cursors("next", 100, 1_000);

    private final Audiences audiences;
    private final AudienceStore store;
    private final IdentityLookup identities;
    private final MemberIdentifiers members;
    private final ProfileReader profiles;
    private final Preview preview;
    private final ObjectMapper mapper;

    public AudienceRoutes(
            org.jdbi.v3.core.Jdbi jdbi,
            Audiences audiences,
            MemberIdentifiers members,
            ProfileReader profiles,
            Preview preview,
            ObjectMapper mapper) {
        this.audiences = audiences;
        this.store = new AudienceStore(jdbi);
        this.identities = members.identities();
        this.members = members;
        this.profiles = profiles;
        this.preview = preview;
        this.mapper = mapper;
    }

    public void register(Routes routes) {
        routes.get("/v1/audiences", Access.scope("audiences:read"), ctx -> {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode list = body.putArray("audiences");
            long maxId = profiles.maxId();
            audiences.list().forEach(a -> list.add(json(a, maxId)));
            ctx.json(body);
        });
        routes.post(
                "/v1/audiences/preview",
                Access.scope("audiences:read"),
                ctx -> ctx.json(
                        preview.run(body(ctx).path("condition").asText(null), new PreviewCaller(ctx, members))));
        routes.get(
                "/v1/audiences/{key}",
                Access.scope("audiences:read"),
                ctx -> ctx.json(json(audiences.byKey(ctx.pathParam("key")), profiles.maxId())));
        routes.get("/v1/audiences/{key}/members", Access.scope("audiences:read"), this::members);
        routes.get("/v1/audiences/{key}/history", Access.scope("audiences:read"), this::history);
        routes.get("/v1/audiences/{key}/events", Access.scope("audiences:read"), this::events);
        routes.get("/v1/profiles/{id}/audiences", Access.scope("profiles:read"), this::ofProfile);
    }

    ObjectNode json(Audience a, long maxProfileId) {
        AudienceDefinition d = a.definition();
        ObjectNode o = mapper.createObjectNode()
                .put("key", d.key())
                .put("name", d.name())
                .put("description", d.description());
        d.owners().forEach(o.putArray("owners")::add);
        o.put("condition", d.condition())
                .put("origin", a.origin().wireName())
                .put("status", a.state().status().wireName())
                .put("size", a.state().size());
        if (a.computing()) {
            double done = maxProfileId == 0 ? 1.0 : Math.min(1.0, a.state().scannedTo() / (double) maxProfileId);
            o.put("progress", Math.round(done * 1000) / 1000.0);
        }
        o.put("updated_at", time(a.state().updatedAt()));
        o.put(
                "computed_at",
                a.state().computedAt() == null ? null : time(a.state().computedAt()));
        audiences.live(d.key()).ifPresent(live -> {
            ObjectNode failures =
                    o.putObject("failures").put("count", live.failures().get());
            failures.put("last", live.lastFailure().get());
        });
        return o;
    }

    private void members(Context ctx) {
        Audience a = audiences.byKey(ctx.pathParam("key"));
        String format = ctx.queryParam("format");
        if ("csv".equals(format)) {
            MemberExport.csv(ctx, a, store, members);
            return;
        }
        if (format != null && !format.equals("json")) {
            throw new BadRequest(
                    "invalid_format",
                    "'format' must be 'json' (the default, paged) or 'csv' (every member).",
                    "format");
        }
        long after = MEMBER_PAGES.after(ctx);
        int limit = MEMBER_PAGES.limit(ctx);
        List<AudienceStore.Member> page = store.members(a.id(), after, limit + 1);
        boolean more = page.size() > limit;
        if (more) {
            page = page.subList(0, limit);
        }
        Map<Long, Map<String, List<String>>> ids = members.of(
                ctx, page.stream().map(AudienceStore.Member::profileId).toList());
        ObjectNode body = mapper.createObjectNode().put("audience", a.key());
        ArrayNode data = body.putArray("data");
        for (AudienceStore.Member m : page) {
            ObjectNode item = data.addObject()
                    .put("profile_id", Long.toString(m.profileId()))
                    .put("entered_at", time(m.enteredAt()));
            item.set("identifiers", mapper.valueToTree(ids.getOrDefault(m.profileId(), Map.of())));
        }
        String next = more ? Long.toString(page.get(page.size() - 1).profileId()) : "";
        body.putObject("cursor").put("has_more", more).put("next", next);
        ctx.json(body);
    }

    private void history(Context ctx) {
        Audience a = audiences.byKey(ctx.pathParam("key"));
        ObjectNode body = mapper.createObjectNode()
                .put("audience", a.key())
                .put("size", a.state().size());
        ArrayNode data = body.putArray("data");
        store.history(a.id())
                .forEach(
                        (hour, size) -> data.addObject().put("hour", time(hour)).put("size", size));
        ctx.json(body);
    }

    private void events(Context ctx) {
        Audience a = audiences.byKey(ctx.pathParam("key"));
        long after = EVENT_PAGES.after(ctx);
        int limit = EVENT_PAGES.limit(ctx);
        List<AudienceEvent> page = store.events(a.id(), after, limit + 1);
        boolean more = page.size() > limit;
        if (more) {
            page = page.subList(0, limit);
        }
        ObjectNode body = mapper.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (AudienceEvent e : page) {
            ObjectNode event = data.addObject()
                    .put("type", "track")
                    .put("event", e.name())
                    .put("profile_id", Long.toString(e.profileId()))
                    .put("timestamp", time(e.at()));
            event.putObject("properties")
                    .put("audience_key", a.key())
                    .put("audience_name", a.definition().name())
                    .put("cause_seq", e.seq());
        }
        body.putObject("cursor")
                .put("has_more", more)
                .put("next", more ? Long.toString(page.get(page.size() - 1).id()) : "");
        ctx.json(body);
    }

    private void ofProfile(Context ctx) {
        long id = identities.require(ctx.pathParam("id"));
        Map<Long, Long> memberships = store.audiencesOf(id);
        ObjectNode body = mapper.createObjectNode().put("profile_id", Long.toString(id));
        ArrayNode data = body.putArray("data");
        for (Audience a : audiences.list()) {
            Long entered = memberships.get(a.id());
            if (entered != null) {
                data.addObject()
                        .put("key", a.key())
                        .put("name", a.definition().name())
                        .put("entered_at", time(entered));
            }
        }
        ctx.json(body);
    }

    private JsonNode body(Context ctx) {
        return JsonBody.read(mapper, ctx.body(), "{\"condition\": \"traits.plan == 'pro'\"}");
    }

    static String time(long millis) {
        return EventTime.format(Instant.ofEpochMilli(millis));
    }
}
