package dev.tandem.journey;

import dev.tandem.connect.MessageOutbox;
import dev.tandem.expr.ProfileView;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.profile.ProfileReader;
import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Lane;
import dev.tandem.schedule.Next;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The journeys' timers: one job, {@code journeys.advance}, in the pipeline lane. Each run takes up
 * to {@link #SLICE} instances whose timer is due (the partial index on {@code due_at}), walks each
 * as far as it goes, and writes in one transaction the instances moved (guarded by the step they
 * were read at), their transitions, the messages appended to destinations' outboxes, the cap
 * counts and the trait updates (emitted as identifies once committed, and again at the first run
 * after a crash left one unconfirmed); then runs again at once while there was a full slice, else
 * at the next timer.
 *
 * <p>Why the pipeline lane and one job rather than a job per instance: outbox ids must commit in
 * order, which only the processor's thread guarantees, and a million waiting profiles are a
 * million index entries of {@code journey_instances}, not a million scheduler rows to claim.
 */
final class JourneyRunner implements Job {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JourneyRunner.class);
    static final String KIND = "journeys.advance";
    static final int SLICE = 2_000;

    /** What the runner reads and where it sends. */
    record Reads(
            ProfileReader profiles,
            IdentityLookup identities,
            dev.tandem.audience.Memberships memberships,
            dev.tandem.collect.EventLog events) {}

    private final JourneyBook book;
    private final JourneyStore store;
    private final Reads reads;
    private final Walker walker;
    private final MessageOutbox outbox;
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Consumer<List<JourneyStore.TraitUpdate>> traits;
    private boolean resent;
    private final Clock clock;

    JourneyRunner(
            JourneyBook book,
            JourneyStore store,
            Reads reads,
            Walker walker,
            MessageOutbox outbox,
            Consumer<List<JourneyStore.TraitUpdate>> traits,
            Clock clock) {
        this.book = book;
        this.store = store;
        this.reads = reads;
        this.walker = walker;
        this.outbox = outbox;
        this.traits = traits;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Lane lane() {
        return Lane.PIPELINE;
    }

    @Override
    public Next run(Due due) {
        if (!resent) {
            resent = true; // a crash between a commit and its emission left these: the inbox deduplicates by id
            List<JourneyStore.TraitUpdate> left = store.traitUpdates(SLICE);
            if (!left.isEmpty()) {
                traits.accept(left);
            }
        }
        Instant now = clock.instant();
        List<Instance> slice = store.due(now.toEpochMilli(), book.paused(), SLICE);
        if (!slice.isEmpty()) {
            advance(slice, now);
        }
        if (slice.size() == SLICE) {
            return Next.again(now);
        }
        Long next = store.nextDue(book.paused());
        return next == null ? Next.done() : Next.again(Instant.ofEpochMilli(Math.max(next, now.toEpochMilli())));
    }

    /**
     * The slice with the entering event of each instance whose journey can read it, read back from
     * the inbox in one query (an instance keeps only the event's seq). An event no longer in the inbox
     * (past its retention) leaves the instance without one: its walk reads the profile alone.
     */
    private List<Instance> withEntryEvents(List<Instance> slice) {
        List<Long> seqs = new ArrayList<>();
        for (Instance i : slice) {
            if (needsEntryEvent(i)) {
                seqs.add(i.entrySeq());
            }
        }
        if (seqs.isEmpty()) {
            return slice;
        }
        Map<Long, String> stored = new java.util.HashMap<>();
        for (List<Long> chunk : dev.tandem.store.InLists.chunks(seqs)) {
            try {
                reads.events().at(chunk).forEach(e -> stored.put(e.seq(), e.payload()));
            } catch (RuntimeException e) {
                one(chunk, stored); // one event that does not open must not hold up every timer behind it
            }
        }
        List<Instance> out = new ArrayList<>(slice.size());
        for (Instance i : slice) {
            out.add(needsEntryEvent(i) ? i.withContext(stored.get(i.entrySeq())) : i);
        }
        return out;
    }

    /** Reads the events one by one: one that does not open is logged and walked without. */
    private void one(List<Long> seqs, Map<Long, String> stored) {
        for (long seq : seqs) {
            try {
                reads.events().at(List.of(seq)).forEach(e -> stored.put(e.seq(), e.payload()));
            } catch (RuntimeException e) {
                log.atWarn()
                        .setCause(e)
                        .addKeyValue("seq", seq)
                        .log("a journey's entering event could not be read; its instance walks without it");
            }
        }
    }

    private boolean needsEntryEvent(Instance i) {
        if (i.context() != null || i.entrySeq() == null) {
            return false;
        }
        Journey journey = book.at(i.journey(), i.version());
        return journey != null && journey.readsEntryEvent();
    }

    /** What a slice's walk decided, to be written in one transaction. */
    private record Walked(
            List<Instance> moved,
            List<String> from,
            List<JourneyStore.Transition> transitions,
            List<Walker.Send> sends,
            List<JourneyStore.TraitUpdate> traits) {}

    /** A frequency cap another process's send reached between the slice's count read and its commit. */
    private static final class CapOvertaken extends RuntimeException {
        CapOvertaken() {
            super("a frequency cap was reached by another send meanwhile", null, false, false);
        }
    }

    /** Walks a slice of due instances and writes what they did; public to the package for benchmarks and tests. */
    int advance(List<Instance> given, Instant now) {
        List<Instance> slice = withEntryEvents(given);
        Set<Long> profiles = new LinkedHashSet<>();
        slice.forEach(i -> profiles.add(i.profileId()));
        Map<Long, Map<String, List<String>>> ids = reads.identities().identifiersByType(List.copyOf(profiles));
        ProfileReader.Read read = reads.profiles().viewsAndConsents(profiles); // one query for the slice, not two each
        Map<Long, ProfileReader.Consent> consents = read.consents();
        Map<Long, ProfileView> views = read.views();
        for (int attempt = 1; ; attempt++) {
            Map<String, Integer> counts = store.jdbi().withHandle(h -> store.capCounts(h, profiles));
            Walked w = walk(slice, now, ids, consents, views, counts);
            if (w.moved().isEmpty()) {
                return 0;
            }
            try {
                write(w, now);
            } catch (CapOvertaken e) {
                if (attempt == 3) {
                    throw new IllegalStateException(
                            "frequency caps kept changing while a slice of journey instances was written; retried later",
                            e);
                }
                continue; // walked again with the counts committed since: the step is capped this time
            }
            if (!w.sends().isEmpty()) {
                outbox.written();
            }
            if (!w.traits().isEmpty()) {
                traits.accept(w.traits());
            }
            return w.moved().size();
        }
    }

    private Walked walk(
            List<Instance> slice,
            Instant now,
            Map<Long, Map<String, List<String>>> ids,
            Map<Long, ProfileReader.Consent> consents,
            Map<Long, ProfileView> views,
            Map<String, Integer> counts) {
        Walked out = new Walked(
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Instance i : slice) {
            if (book.paused(i.journey())) {
                continue; // paused since the slice was read: nothing more is sent
            }
            Journey journey = book.at(i.journey(), i.version());
            if (journey == null) {
                continue;
            }
            Walker.Walked w = walker.walk(
                    i,
                    journey,
                    new Walker.Subjectly(
                            views.get(i.profileId()),
                            ids.get(i.profileId()),
                            consents.get(i.profileId()),
                            audience ->
                                    reads.memberships().keysOf(i.profileId()).contains(audience)),
                    now,
                    counts);
            out.moved().add(w.instance());
            out.from().add(i.step());
            out.transitions().addAll(w.transitions());
            out.sends().addAll(w.sends());
            for (Walker.TraitSet t : w.traits()) {
                out.traits().add(new JourneyStore.TraitUpdate(t.messageId(), t.profile(), t.trait(), json(t.value())));
            }
        }
        return out;
    }

    /**
     * One transaction: the instances moved (guarded by the step they were read at), their
     * transitions, the outbox rows, the trait updates, and the cap counts. Each counted send's count
     * is read back under the row's write lock: over the cap means another process sent meanwhile, and
     * the whole slice rolls back to be walked again.
     */
    private void write(Walked w, Instant now) {
        store.inTransaction(h -> {
            int[] rows = store.update(h, w.moved(), w.from());
            for (int r : rows) {
                if (r != 1) {
                    throw new IllegalStateException(
                            "a journey instance moved while it was being advanced; the slice is retried from the store");
                }
            }
            store.record(h, w.transitions());
            for (Walker.Send s : w.sends()) {
                if (s.counted()) {
                    int n = store.countSend(h, s.profile(), s.channel(), s.day());
                    Integer cap = walker.cap(s.channel());
                    if (cap != null && n > cap) {
                        throw new CapOvertaken();
                    }
                }
                outbox.append(h, s.destination(), s.profile(), s.message(), now.toEpochMilli());
            }
            store.keepTraitUpdates(h, w.traits(), now.toEpochMilli());
        });
    }

    private String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a trait value of an update step is not JSON", e);
        }
    }
}
