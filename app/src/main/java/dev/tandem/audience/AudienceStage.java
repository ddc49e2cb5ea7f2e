package dev.tandem.audience;

import dev.tandem.expr.Expression;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ProfileView;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchChanges;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Membership;
import dev.tandem.pipeline.Merge;
import dev.tandem.pipeline.ProfileChange;
import dev.tandem.pipeline.Stage;
import dev.tandem.pipeline.StageCache;
import dev.tandem.pipeline.TraitReads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code audience} stage: for each profile the batch changed (read from the batch's changes),
 * re-evaluates only the audiences whose condition reads what changed (all of them for a new
 * profile or one that absorbed another), and records in the changes who entered and who left. A
 * profile merged away leaves its audiences. The background computation of new and edited audiences
 * is a scheduled job ({@link Background}) that keeps this stage's cache current.
 *
 * <p>Memberships are cached per profile as immutable sets of audience ids; the batch's changes
 * sit in {@code pending} until the commit, as in the identity stage.
 */
public final class AudienceStage implements Stage {
    private static final int PARALLEL_FROM = 64;

    private final Audiences audiences;
    private final AudienceStore store;
    private final Clock clock;
    private final StageCache<Long, Set<Long>> memberships;
    private final Map<Long, Set<Long>> pending = new HashMap<>();
    private final List<MembershipChange> changes = new ArrayList<>();
    private final Counter evaluations;
    private boolean wasReset;

    public AudienceStage(Jdbi jdbi, Audiences audiences, long cachedProfiles, Clock clock, MeterRegistry meters) {
        this.audiences = audiences;
        this.store = new AudienceStore(jdbi);
        this.clock = clock;
        this.memberships = new StageCache<>(cachedProfiles);
        this.evaluations = Counter.builder("tandem.audience.evaluations")
                .description("Audience conditions evaluated")
                .register(meters);
    }

    @Override
    public String name() {
        return "audience";
    }

    @Override
    public Set<Change> reads() {
        return Set.of(Change.PROFILES, Change.IDENTIFIERS, Change.MERGES);
    }

    @Override
    public Set<Change> writes() {
        return Set.of(Change.MEMBERSHIPS);
    }

    /** The personal traits audience conditions read; the version moves with every audience change. */
    @Override
    public TraitReads traitReads() {
        return TraitReads.of(audiences::readsTrait, audiences::version);
    }

    @Override
    public void process(Batch of) {
        List<BatchItem> batch = of.items();
        BatchChanges batchChanges = of.changes();
        Audiences.Snapshot snapshot = audiences.snapshot();
        Map<Long, Long> lastSeq = new HashMap<>();
        List<Long> mergedAway = new ArrayList<>();
        for (Merge m : batchChanges.merges()) {
            mergedAway.add(m.merged());
        }
        for (BatchItem item : batch) {
            if (item.profileId() != 0) {
                lastSeq.put(item.profileId(), item.seq());
            }
        }
        Map<Long, List<LiveAudience>> due = new HashMap<>();
        for (ProfileChange change : batchChanges.profiles()) {
            List<LiveAudience> affected = affected(snapshot, change);
            if (!affected.isEmpty()) {
                due.put(change.profile(), affected);
            }
        }
        if (due.isEmpty() && mergedAway.isEmpty()) {
            return;
        }
        prefetch(due.keySet(), mergedAway);
        long now = clock.millis();
        for (long gone : mergedAway) {
            Set<Long> held = editable(gone);
            for (long audienceId : held) {
                changes.add(new MembershipChange(audienceId, gone, false, now, 0));
                batchChanges.membership(new Membership(audienceId, gone, false, 0));
            }
            held.clear();
        }
        List<Due> work = new ArrayList<>(due.size());
        for (var e : due.entrySet()) {
            ProfileView view = batchChanges.view(e.getKey());
            if (view != null) {
                // most conditions never read identifiers: skip building the map for them
                boolean readsIdentifiers = e.getValue().stream().anyMatch(LiveAudience::readsIdentifiers);
                work.add(new Due(
                        e.getKey(),
                        e.getValue(),
                        view,
                        readsIdentifiers ? batchChanges.identifiers(e.getKey()) : Map.of()));
            }
        }
        boolean[][] results = evaluateAll(work);
        for (int i = 0; i < work.size(); i++) {
            Due d = work.get(i);
            Set<Long> held = current(d.profile());
            for (int k = 0; k < d.audiences().size(); k++) {
                LiveAudience a = d.audiences().get(k);
                boolean member = results[i][k];
                if (member != held.contains(a.id())) {
                    Set<Long> mine = editable(d.profile());
                    if (member) {
                        mine.add(a.id());
                    } else {
                        mine.remove(a.id());
                    }
                    held = mine;
                    long seq = lastSeq.getOrDefault(d.profile(), 0L);
                    changes.add(new MembershipChange(a.id(), d.profile(), member, now, seq));
                    batchChanges.membership(new Membership(a.id(), d.profile(), member, seq));
                }
            }
        }
    }

    /** A profile to evaluate: the audiences that read what changed, and the profile as they read it. */
    record Due(long profile, List<LiveAudience> audiences, ProfileView view, Map<String, List<String>> identifiers) {}

    /**
     * Evaluates on both cores when there is enough work. Why: evaluation is pure (compiled
     * programs are thread-safe, each profile has its own variables), it is most of this stage's
     * time with many audiences, and the processor's one thread leaves the other core idle.
     */
    boolean[][] evaluateAll(List<Due> work) {
        boolean[][] results = new boolean[work.size()][];
        IntStream range = IntStream.range(0, work.size());
        (work.size() >= PARALLEL_FROM ? range.parallel() : range).forEach(i -> {
            Due d = work.get(i);
            // building the variables is pure too, so it runs here, on both cores
            Map<String, Object> facts = Facts.profile(d.view(), d.identifiers());
            boolean[] r = new boolean[d.audiences().size()];
            for (int k = 0; k < r.length; k++) {
                r[k] = evaluate(d.audiences().get(k), facts);
            }
            results[i] = r;
        });
        // counted once per batch: a shared counter touched per evaluation from both cores was a fifth of this stage's
        // time
        long n = 0;
        for (Due d : work) {
            n += d.audiences().size();
        }
        evaluations.increment(n);
        return results;
    }

    /** Evaluates one condition; a failure counts as not a member and is kept on the audience. Counted per batch by the callers. */
    static boolean evaluate(LiveAudience a, Map<String, Object> facts) {
        Expression.Outcome outcome = a.condition().evaluate(facts);
        if (outcome.failed()) {
            a.failed(outcome.error());
        }
        return outcome.matched();
    }

    /** The audiences to evaluate for a profile with these changes, each once, in the snapshot's order. */
    private static List<LiveAudience> affected(Audiences.Snapshot snapshot, ProfileChange change) {
        if (change.everything()) {
            return snapshot.live();
        }
        Set<String> changed = change.names();
        boolean identifiersChanged = change.identifiers();
        BitSet picked = new BitSet(snapshot.live().size());
        for (String c : changed) {
            List<LiveAudience> readers = snapshot.byRead().get(c);
            if (readers != null) {
                readers.forEach(a -> picked.set(a.index()));
            }
        }
        if (identifiersChanged) {
            snapshot.identifierReaders().forEach(a -> picked.set(a.index()));
        }
        List<LiveAudience> affected = new ArrayList<>(picked.cardinality());
        picked.stream().forEach(i -> affected.add(snapshot.live().get(i)));
        return affected;
    }

    private void prefetch(Set<Long> due, List<Long> mergedAway) {
        Set<Long> missing = new HashSet<>();
        for (long p : due) {
            if (!pending.containsKey(p) && memberships.getIfPresent(p) == null) {
                missing.add(p);
            }
        }
        for (long p : mergedAway) {
            if (!pending.containsKey(p) && memberships.getIfPresent(p) == null) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            store.memberships(missing).forEach((p, set) -> memberships.put(p, Set.copyOf(set)));
        }
    }

    private Set<Long> current(long profile) {
        Set<Long> set = pending.get(profile);
        if (set == null) {
            set = memberships.getIfPresent(profile);
        }
        if (set == null) {
            set = Set.copyOf(store.memberships(List.of(profile)).get(profile));
            memberships.put(profile, set);
        }
        return set;
    }

    private Set<Long> editable(long profile) {
        Set<Long> set = pending.get(profile);
        if (set == null) {
            set = new HashSet<>(current(profile));
            pending.put(profile, set);
        }
        return set;
    }

    @Override
    public void write(Handle transaction) {
        AudienceStore.write(transaction, changes, clock.millis());
    }

    @Override
    public void committed() {
        pending.forEach((p, set) -> memberships.put(p, Set.copyOf(set)));
        clear();
    }

    @Override
    public void discard() {
        clear();
        if (wasReset) {
            // the reset's transaction has committed by now: the registry reads the audiences as it left them
            wasReset = false;
            audiences.reload();
        }
    }

    /** Updates cached memberships after the background computation committed these changes. */
    void applied(List<MembershipChange> committed) {
        for (MembershipChange c : committed) {
            Set<Long> cached = memberships.getIfPresent(c.profileId());
            if (cached != null) {
                Set<Long> copy = new HashSet<>(cached);
                if (c.entered()) {
                    copy.add(c.audienceId());
                } else {
                    copy.remove(c.audienceId());
                }
                memberships.put(c.profileId(), Set.copyOf(copy));
            }
        }
    }

    /** After a deleted audience was purged, cached memberships may still name it. */
    void forgetAll() {
        memberships.invalidateAll();
    }

    @Override
    public void reset(Handle transaction) {
        AudienceStore.reset(transaction);
        memberships.invalidateAll();
        wasReset = true;
    }

    @Override
    public void erase(Handle transaction, java.util.Collection<Long> profiles) {
        AudienceStore.erase(transaction, profiles);
        memberships.invalidateAll();
    }

    private void clear() {
        pending.clear();
        changes.clear();
    }
}
