package dev.tandem.govern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.audience.Memberships;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.StoredEvent;
import dev.tandem.expr.ProfileView;
import dev.tandem.identity.Identifier;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.identity.MergeRecord;
import dev.tandem.identity.ProfileIdentifier;
import dev.tandem.profile.ConsentChange;
import dev.tandem.profile.ProfileReader;
import dev.tandem.retain.ArchiveErasure;
import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything Tandem holds about a subject, as one portable JSON document: for each of its
 * profiles the traits, computed traits, consent and its history, identifiers, audiences, merges
 * and every stored event, archived ones included. Built when it is fetched, from the data as it is then.
 */
final class AccessExport {
    private final ProfileReader profiles;
    private final IdentityLookup identities;
    private final Memberships memberships;
    private final InboxReader inbox;
    private final ArchiveErasure archives;
    private final ObjectMapper mapper;

    AccessExport(GovernModule.Reads reads, ObjectMapper mapper) {
        this.profiles = reads.profiles();
        this.identities = reads.identities();
        this.memberships = reads.memberships();
        this.inbox = reads.inbox();
        this.archives = reads.archives();
        this.mapper = mapper;
    }

    ObjectNode of(PrivacyRequest request) {
        ObjectNode out = mapper.createObjectNode();
        out.put("subject_request_id", request.id());
        out.put("generated_by", "tandem");
        ArrayNode list = out.putArray("profiles");
        List<Long> seen = new ArrayList<>();
        for (long stored : request.profiles()) {
            identities
                    .profileOf(new Identifier(IdentityLookup.PROFILE_ID, Long.toString(stored)))
                    .ifPresent(p -> {
                        if (!seen.contains(p)) {
                            seen.add(p);
                            profiles.view(p).ifPresent(view -> list.add(profile(view)));
                        }
                    });
        }
        return out;
    }

    private ObjectNode profile(ProfileView view) {
        long id = view.id();
        ObjectNode p = mapper.createObjectNode();
        p.put("profile_id", Long.toString(id));
        p.set("traits", mapper.valueToTree(view.traits()));
        p.set("computed_traits", mapper.valueToTree(view.computed()));
        p.set("consent", mapper.valueToTree(view.consent()));
        ArrayNode history = p.putArray("consent_history");
        for (ConsentChange c : profiles.consentHistory(id)) {
            history.addObject()
                    .put("purpose", c.purpose())
                    .put("granted", c.granted())
                    .put("signal", c.signal())
                    .put("at", PrivacyRequests.time(c.at()));
        }
        p.set("channels", mapper.valueToTree(view.channels()));
        p.set("sources", mapper.valueToTree(view.sources()));
        p.put("event_count", view.eventCount());
        ArrayNode ids = p.putArray("identifiers");
        for (ProfileIdentifier i : identities.identifiers(id)) {
            ids.addObject()
                    .put("type", i.type())
                    .put("value", i.value())
                    .put("first_seen", PrivacyRequests.time(i.firstSeen()));
        }
        p.set("audiences", mapper.valueToTree(memberships.keysOf(id)));
        ArrayNode merges = p.putArray("merges");
        for (MergeRecord m : identities.merges(id)) {
            merges.addObject()
                    .put("merged_profile", Long.toString(m.merged()))
                    .put("by", m.by().type() + ":" + m.by().value())
                    .put("at", PrivacyRequests.time(m.at()));
        }
        ArrayNode events = p.putArray("events");
        // events past their source's retention first: they are the older ones
        archives.eventsOf(identities.family(List.of(id))).forEach(events::add);
        for (List<Long> chunk : InLists.chunks(profiles.eventSeqs(id))) {
            for (StoredEvent e : inbox.eventsAt(chunk)) {
                try {
                    events.add(mapper.readTree(e.payload()));
                } catch (JsonProcessingException ex) {
                    throw new IllegalStateException("Inbox event " + e.seq() + " is not JSON", ex);
                }
            }
        }
        return p;
    }
}
