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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The journeys' timers: one job, {@code journeys.advance}, in the pipeline lane. Each run takes up
 * to {@link #SLICE} instances whose timer is due (the partial index on {@code due_at}), walks each
 * as far as it goes, and writes in one transaction the instances moved (guarded by the step they
 * were read at), their transitions, the messages appended to destinations' outboxes and the cap
 * counts; then runs again at once while there was a full slice, else at the next timer.
 *
 * <p>Why the pipeline lane and one job rather than a job per instance: outbox ids must commit in
 * order, which only the processor's thread guarantees, and a million waiting profiles are a
 * million index entries of {@code journey_instances}, not a million scheduler rows to claim.
 */
final class JourneyRunner implements Job {
    static final String KIND = "journeys.advance";
    static final int SLICE = 2_000;

    /** What the runner reads and where it sends. */
    record Reads(ProfileReader profiles, IdentityLookup identities) {}

    private final JourneyBook book;
    private final JourneyStore store;
    private final Reads reads;
    private final Walker walker;
    private final MessageOutbox outbox;
    private final Consumer<List<Walker.TraitSet>> traits;
    private final Clock clock;

    JourneyRunner(
            JourneyBook book,
            JourneyStore store,
            Reads reads,
            Walker walker,
            MessageOutbox outbox,
            Consumer<List<Walker.TraitSet>> traits,
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

    /** Walks a slice of due instances and writes what they did; public to the package for benchmarks and tests. */
    int advance(List<Instance> slice, Instant now) {
        Set<Long> profiles = new LinkedHashSet<>();
        slice.forEach(i -> profiles.add(i.profileId()));
        Map<Long, Map<String, List<String>>> ids = reads.identities().identifiersByType(List.copyOf(profiles));
        Map<Long, ProfileReader.Consent> consents = reads.profiles().consents(profiles);
        Map<Long, ProfileView> views = new HashMap<>();
        List<Instance> moved = new ArrayList<>();
        List<String> from = new ArrayList<>();
        List<JourneyStore.Transition> transitions = new ArrayList<>();
        List<Walker.Send> sends = new ArrayList<>();
        List<Walker.TraitSet> sets = new ArrayList<>();
        Map<String, Integer> counts = store.jdbi().withHandle(h -> store.capCounts(h, profiles));
        for (Instance i : slice) {
            if (book.paused(i.journey())) {
                continue; // paused since the slice was read: nothing more is sent
            }
            Journey journey = book.at(i.journey(), i.version());
            if (journey == null) {
                continue;
            }
            ProfileView view = views.computeIfAbsent(
                    i.profileId(), p -> reads.profiles().view(p).orElse(null));
            Walker.Walked w = walker.walk(
                    i,
                    journey,
                    new Walker.Subjectly(view, ids.get(i.profileId()), consents.get(i.profileId())),
                    now,
                    counts);
            moved.add(w.instance());
            from.add(i.step());
            transitions.addAll(w.transitions());
            sends.addAll(w.sends());
            sets.addAll(w.traits());
        }
        if (moved.isEmpty()) {
            return 0;
        }
        store.inTransaction(h -> {
            int[] rows = store.update(h, moved, from);
            for (int r : rows) {
                if (r != 1) {
                    throw new IllegalStateException(
                            "a journey instance moved while it was being advanced; the slice is retried from the store");
                }
            }
            store.record(h, transitions);
            for (Walker.Send s : sends) {
                outbox.append(h, s.destination(), s.profile(), s.message(), now.toEpochMilli());
                if (s.counted()) {
                    store.countSend(h, s.profile(), s.channel(), s.day());
                }
            }
        });
        if (!sends.isEmpty()) {
            outbox.written();
        }
        if (!sets.isEmpty()) {
            traits.accept(sets);
        }
        return moved.size();
    }
}
