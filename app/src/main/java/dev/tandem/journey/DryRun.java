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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    /** Profiles a part of a page reads and walks on its own core. */
    private static final int PART = 250;

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
        JourneyDefinition d = v.journey().definition();
        Pass pass = new Pass(v, clock.instant());
        long scanned = d.entry().event() == null ? memberEntries(pass) : eventEntries(pass, days);
        pass.walkPending();
        ObjectNode out = mapper.createObjectNode()
                .put("journey", d.key())
                .put("version", v.version())
                .put("scanned", scanned)
                .put("entered", pass.entered)
                .put("heldOut", pass.held)
                .put("finished", pass.done)
                .put("exited", pass.exited);
        if (d.entry().event() != null) {
            out.put("days", days);
        }
        if (d.entry().schedule() != null) {
            out.put("schedule", d.entry().describe()); // reach: who a pass would enter now
        }
        pass.tally.render(v.journey(), out.putArray("steps"));
        return out;
    }

    /**
     * One dry run's walk: entrants are walked a page at a time as they are found, so what it holds
     * is one page of instances and a count per step, not every entrant (a million for a wide audience).
     */
    private final class Pass {
        final JourneyBook.Versioned v;
        final Instant now;
        final StepTally tally = new StepTally();
        /** Frequency caps as the walks so far took them, per profile, channel and day. */
        final Map<String, Integer> caps = new ConcurrentHashMap<>();
        /** Entrants by profile and entry key, for event entries (an audience's members are each one). */
        final Set<String> seen = new HashSet<>();
        /** The personal traits the journey's walk reads: the only ones decrypted. */
        final java.util.function.Predicate<String> wanted;

        final List<Instance> pending = new ArrayList<>(PAGE);
        long entered;
        long held;
        long done;
        long exited;

        Pass(JourneyBook.Versioned v, Instant now) {
            this.v = v;
            this.now = now;
            this.wanted = v.journey().traitsRead();
        }

        /** An entrant, unless this profile already entered with this key in the pass. */
        void offer(long profile, String entryKey, JsonNode event, boolean unique) {
            JourneyDefinition d = v.journey().definition();
            if (!unique && !seen.add(profile + "|" + entryKey)) {
                return;
            }
            boolean holdout = d.holdout() > 0 && Timing.bucket(d.key(), Long.toString(profile)) < d.holdout();
            entered++;
            held += holdout ? 1 : 0;
            pending.add(new Instance(
                    entered,
                    d.key(),
                    profile,
                    entryKey,
                    v.version(),
                    "0",
                    Instance.NEW,
                    holdout,
                    now.toEpochMilli(),
                    now.toEpochMilli(),
                    event == null ? null : event.toString(),
                    null,
                    null,
                    null));
            if (pending.size() >= PAGE) {
                walkPending();
            }
        }

        /**
         * Walks the pending entrants on both cores, in parts of a few hundred profiles: each part reads
         * its profiles, identifiers and consent in one query each and walks them (reading is half the
         * work, so it runs in parallel too). A profile's entrants stay in one part and are walked in
         * order (they share its frequency caps); the counts are added up in entry order.
         */
        void walkPending() {
            if (pending.isEmpty()) {
                return;
            }
            Map<Long, List<Instance>> byProfile = new LinkedHashMap<>();
            pending.forEach(i -> byProfile
                    .computeIfAbsent(i.profileId(), p -> new ArrayList<>(1))
                    .add(i));
            List<List<Instance>> groups = List.copyOf(byProfile.values());
            List<List<List<Instance>>> parts = new ArrayList<>();
            for (int from = 0; from < groups.size(); from += PART) {
                parts.add(groups.subList(from, Math.min(groups.size(), from + PART)));
            }
            List<Walker.Walked> walked = parts.parallelStream()
                    .flatMap(part -> walkPart(part).stream())
                    .toList();
            for (Walker.Walked w : walked) {
                tally.addWalk(w.transitions());
                if (w.instance().status().equals(Instance.EXITED)) {
                    exited++;
                } else {
                    done++;
                }
            }
            pending.clear();
        }

        private List<Walker.Walked> walkPart(List<List<Instance>> part) {
            List<Long> ids = part.stream().map(g -> g.get(0).profileId()).toList();
            Map<Long, Map<String, List<String>>> identifiers =
                    reads.identities().identifiersByType(ids);
            ProfileReader.Read read = reads.profiles().viewsAndConsents(ids, wanted);
            List<Walker.Walked> out = new ArrayList<>(part.size());
            part.forEach(instances -> out.addAll(walk(instances, identifiers, read)));
            return out;
        }

        private List<Walker.Walked> walk(
                List<Instance> instances, Map<Long, Map<String, List<String>>> identifiers, ProfileReader.Read read) {
            long profile = instances.get(0).profileId();
            Walker.Subjectly who = new Walker.Subjectly(
                    read.views().get(profile),
                    identifiers.get(profile),
                    read.consents().get(profile),
                    audience -> reads.memberships().keysOf(profile).contains(audience));
            List<Walker.Walked> out = new ArrayList<>(instances.size());
            for (Instance i : instances) {
                out.add(walker.walk(i, v.journey(), who, now, caps));
            }
            return out;
        }
    }

    /**
     * The audience's current members, a page at a time by profile id (not every profile with a query
     * each); a schedule without an audience enters every profile. What was scanned is every stored
     * profile, as for a launch now.
     */
    private long memberEntries(Pass pass) {
        String audience = pass.v.journey().definition().entry().audience();
        long after = 0;
        while (true) {
            List<Long> page = audience != null
                    ? reads.memberships().members(audience, after, PAGE)
                    : reads.profiles().page(after, PAGE, field -> false).stream()
                            .map(ProfileView::id)
                            .toList();
            if (page.isEmpty()) {
                return reads.profiles().count();
            }
            for (long profile : page) {
                after = profile;
                pass.offer(profile, "", null, true);
            }
        }
    }

    private long eventEntries(Pass pass, int days) {
        JourneyDefinition d = pass.v.journey().definition();
        Instant now = pass.now;
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
                    pass.offer(profile, entryKey, event, false);
                }
            }
        }
    }

    private JsonNode parse(String payload) {
        try {
            return mapper.readTree(payload);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
