package dev.tandem.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.audience.Memberships;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.StoredEvent;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ProfileView;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.profile.ProfileReader;
import dev.tandem.wire.EventTime;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A journey run over stored data without sending: who would enter (an audience's members among
 * the stored profiles, or the profiles of the last {@code days} of events its entry matches, one
 * per entry key), who would be held out, and how many would reach, be sent at, capped or denied
 * at each step. Waits pass at once, a wait_for times out, the gate is asked without logging.
 * Instances already in flight are not looked at: the dry run says what this version would do
 * over the data as if launched now.
 */
final class DryRun {
    private static final int PAGE = 1_000;

    /** What the dry run reads. */
    record Reads(ProfileReader profiles, IdentityLookup identities, Memberships memberships, InboxReader inbox) {}

    private final Reads reads;
    private final JourneyStore store;
    private final Walker walker;
    private final ObjectMapper mapper;
    private final Clock clock;

    DryRun(Reads reads, JourneyStore store, Walker walker, ObjectMapper mapper, Clock clock) {
        this.reads = reads;
        this.store = store;
        this.walker = walker;
        this.mapper = mapper;
        this.clock = clock;
    }

    ObjectNode run(JourneyBook.Versioned v, int days) {
        Journey journey = v.journey();
        JourneyDefinition d = journey.definition();
        Instant now = clock.instant();
        Map<String, Instance> entering = new LinkedHashMap<>();
        long scanned =
                d.entry().event() == null ? memberEntries(v, entering, now) : eventEntries(v, days, entering, now);
        StepTally tally = new StepTally();
        long held = 0;
        long done = 0;
        long exited = 0;
        Map<String, Integer> counts = new HashMap<>();
        List<Instance> all = new ArrayList<>(entering.values());
        long id = 0;
        for (int from = 0; from < all.size(); from += PAGE) {
            List<Instance> page = all.subList(from, Math.min(all.size(), from + PAGE));
            List<Long> ids = page.stream().map(Instance::profileId).distinct().toList();
            Map<Long, Map<String, List<String>>> identifiers =
                    reads.identities().identifiersByType(ids);
            Map<Long, ProfileReader.Consent> consents = reads.profiles().consents(ids);
            for (Instance i : page) {
                Instance numbered = new Instance(
                        ++id,
                        i.journey(),
                        i.profileId(),
                        i.entryKey(),
                        i.version(),
                        i.step(),
                        i.status(),
                        i.holdout(),
                        i.enteredAt(),
                        i.dueAt(),
                        i.context(),
                        null,
                        null);
                ProfileView view = reads.profiles().view(i.profileId()).orElse(null);
                Walker.Walked w = walker.walk(
                        numbered,
                        journey,
                        new Walker.Subjectly(
                                view,
                                identifiers.get(i.profileId()),
                                consents.get(i.profileId()),
                                audience -> reads.memberships()
                                        .keysOf(i.profileId())
                                        .contains(audience)),
                        now,
                        counts);
                w.transitions().forEach(tally::add);
                held += i.holdout() ? 1 : 0;
                if (w.instance().status().equals(Instance.EXITED)) {
                    exited++;
                } else {
                    done++;
                }
            }
        }
        ObjectNode out = mapper.createObjectNode()
                .put("journey", d.key())
                .put("version", v.version())
                .put("scanned", scanned)
                .put("entered", all.size())
                .put("heldOut", held)
                .put("finished", done)
                .put("exited", exited);
        if (d.entry().event() != null) {
            out.put("days", days);
        }
        if (d.entry().schedule() != null) {
            out.put("schedule", d.entry().describe()); // reach: who a pass would enter now
        }
        tally.render(journey, out.putArray("steps"));
        return out;
    }

    /** The audience's current members (a schedule without an audience: every profile), one entry each. */
    private long memberEntries(JourneyBook.Versioned v, Map<String, Instance> entering, Instant now) {
        String audience = v.journey().definition().entry().audience();
        long scanned = 0;
        long after = 0;
        while (true) {
            List<ProfileView> page = reads.profiles().page(after, PAGE);
            if (page.isEmpty()) {
                return scanned;
            }
            for (ProfileView p : page) {
                scanned++;
                after = p.id();
                if (audience == null || reads.memberships().keysOf(p.id()).contains(audience)) {
                    offer(v, p.id(), "", null, entering, now);
                }
            }
        }
    }

    private long eventEntries(JourneyBook.Versioned v, int days, Map<String, Instance> entering, Instant now) {
        JourneyDefinition d = v.journey().definition();
        long since = now.minus(Duration.ofDays(days)).toEpochMilli();
        long scanned = 0;
        long after = 0;
        while (true) {
            List<StoredEvent> page = reads.inbox().events(null, after, PAGE);
            if (page.isEmpty()) {
                return scanned;
            }
            List<Long> seqs = page.stream().map(StoredEvent::seq).toList();
            Map<Long, Long> owners =
                    store.jdbi().withHandle(h -> reads.profiles().profilesOf(h, seqs));
            for (StoredEvent e : page) {
                after = e.seq();
                JsonNode event = parse(e.payload());
                Instant at = EventTime.parse(event.path("receivedAt").asText(""));
                Long profile = owners.get(e.seq());
                if (profile == null || (at != null && at.toEpochMilli() < since)) {
                    continue;
                }
                scanned++;
                Map<String, Object> facts = Facts.event(event);
                if (d.entry().event().evaluate(facts).matched()) {
                    String key = d.entry().key() == null
                            ? null
                            : String.valueOf(d.entry().key().evaluate(facts).value());
                    String entryKey =
                            key != null ? "k:" + key : d.reentry().rule().equals("once") ? "" : "#" + e.seq();
                    offer(v, profile, entryKey, event, entering, now);
                }
            }
        }
    }

    private void offer(
            JourneyBook.Versioned v,
            long profile,
            String entryKey,
            JsonNode event,
            Map<String, Instance> entering,
            Instant now) {
        JourneyDefinition d = v.journey().definition();
        String id = profile + "|" + entryKey;
        if (entering.containsKey(id)) {
            return;
        }
        boolean held = d.holdout() > 0 && Timing.bucket(d.key(), Long.toString(profile)) < d.holdout();
        entering.put(
                id,
                new Instance(
                        0,
                        d.key(),
                        profile,
                        entryKey,
                        v.version(),
                        "0",
                        Instance.NEW,
                        held,
                        now.toEpochMilli(),
                        now.toEpochMilli(),
                        event == null ? null : event.toString(),
                        null,
                        null));
    }

    private JsonNode parse(String payload) {
        try {
            return mapper.readTree(payload);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
