package dev.tandem.profile;

import dev.tandem.expr.ProfileView;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchChanges;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Merge;
import dev.tandem.pipeline.Stage;
import dev.tandem.pipeline.StageCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * The {@code profile} stage: applies each resolved event to its profile's document, after
 * folding in any profile the event merged, and records which events belong to which profile.
 *
 * <p>Records in the batch's changes what each event changed of its profile, and answers for the
 * stages after it the profile as the batch left it. Decrypts only the personal traits those stages
 * read ({@link Batch#traitsReadLater()}).
 *
 * <p>Documents are cached. The batch's touched documents are held in {@code dirty} until the
 * commit, so an eviction cannot lose a change; they are changed in place, so after a failed
 * commit the whole cache is dropped (failures are rare, and the database is the truth).
 */
public final class ProfileUpdater implements Stage {
    private final ProfileRules rules;
    private final ProfileStore store;
    private final Function<String, String> sourceName;
    private final StageCache<Long, ProfileDoc> cache;
    private final Map<Long, ProfileDoc> dirty = new HashMap<>();
    private final List<Merge> merges = new ArrayList<>();
    private final List<long[]> events = new ArrayList<>();
    private final List<long[]> mergedSeqs = new ArrayList<>();
    private final List<EventIndex.Chunk> chunks = new ArrayList<>();
    private final List<ConsentChange> consented = new ArrayList<>();
    private final List<Long> consentedBy = new ArrayList<>();
    private final Clock clock;
    private long seenVersion;

    public ProfileUpdater(
            ProfileStore store,
            ProfileRules rules,
            Function<String, String> sourceName,
            long cachedProfiles,
            Clock clock) {
        this.rules = rules;
        this.store = store;
        this.sourceName = sourceName;
        this.cache = new StageCache<>(cachedProfiles);
        this.clock = clock;
    }

    /** The profile as this batch left it, or null when it has no document (merged away, or never seen). */
    public ProfileView view(long id) {
        ProfileDoc doc = dirty.get(id);
        if (doc == null) {
            doc = cache.getIfPresent(id);
        }
        return doc == null ? null : doc.view(id, rules, sourceName, clock.millis());
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public Set<Change> reads() {
        return Set.of(Change.MERGES);
    }

    @Override
    public Set<Change> writes() {
        return Set.of(Change.PROFILES);
    }

    @Override
    public void process(Batch batchOf) {
        List<BatchItem> batch = batchOf.items();
        BatchChanges changes = batchOf.changes();
        changes.viewsFrom(this::view);
        java.util.function.Predicate<String> personalRead = batchOf.traitsReadLater()::reads;
        long version = batchOf.traitsReadLater().version();
        if (version != seenVersion) {
            cache.invalidateAll();
            seenVersion = version;
        }
        Set<Long> missing = new HashSet<>();
        for (BatchItem item : batch) {
            want(item.profileId(), missing);
            item.merges().forEach(m -> want(m.merged(), missing));
        }
        if (!missing.isEmpty()) {
            Map<Long, ProfileDoc> loaded = store.loadForUpdate(missing, personalRead);
            for (long id : missing) {
                ProfileDoc doc = loaded.get(id);
                if (doc == null) {
                    doc = ProfileDoc.empty();
                    // a new profile: everything about it is new to the stages after this one
                    changes.profile(id).markEverything();
                }
                dirty.put(id, doc);
            }
        }
        for (BatchItem item : batch) {
            for (Merge m : item.merges()) {
                ProfileDoc merged = doc(m.merged(), changes);
                mergedSeqs.add(seqsOf(m, merged));
                // its personal traits move under the kept profile's key: decrypt the ones still held as ciphertext
                store.reveal(m.merged(), merged);
                doc(m.kept(), changes).absorb(merged, rules, sourceName);
                dirty.remove(m.merged());
                cache.invalidate(m.merged());
                merges.add(m);
                changes.forget(m.merged());
                consentedBy.replaceAll(p -> p == m.merged() ? m.kept() : p);
                changes.profile(m.kept()).markEverything();
                for (long[] e : events) {
                    // events of this batch not written yet follow the merge like the stored ones
                    if (e[0] == m.merged()) {
                        e[0] = m.kept();
                    }
                }
            }
            if (item.profileId() != 0) {
                int before = consented.size();
                ProfileDoc doc = doc(item.profileId(), changes);
                doc.apply(item, rules, sourceName, changes.profile(item.profileId()), consented);
                long[] full = doc.addSeq(item.seq());
                if (full != null) {
                    chunks.add(new EventIndex.Chunk(item.profileId(), full));
                }
                for (int i = before; i < consented.size(); i++) {
                    consentedBy.add(item.profileId());
                }
                events.add(new long[] {item.profileId(), item.seq()});
            }
        }
    }

    /**
     * The seqs a merged profile holds outside the stored chunks (its document's, and this batch's
     * spills, which follow the merge to the kept profile), so the write can move their owners.
     */
    private long[] seqsOf(Merge m, ProfileDoc merged) {
        List<Long> seqs = merged.seqs();
        chunks.replaceAll(c -> {
            if (c.profile() != m.merged()) {
                return c;
            }
            for (long s : c.seqs()) {
                seqs.add(s);
            }
            return new EventIndex.Chunk(m.kept(), c.seqs());
        });
        return seqs.stream().mapToLong(Long::longValue).toArray();
    }

    private void want(long id, Set<Long> missing) {
        if (id == 0 || dirty.containsKey(id)) {
            return;
        }
        ProfileDoc cached = cache.getIfPresent(id);
        if (cached != null) {
            dirty.put(id, cached);
        } else {
            missing.add(id);
        }
    }

    private ProfileDoc doc(long id, BatchChanges changes) {
        ProfileDoc doc = dirty.get(id);
        if (doc == null) {
            doc = cache.getIfPresent(id);
            if (doc == null) {
                doc = store.load(id).orElse(null);
            }
            if (doc == null) {
                doc = ProfileDoc.empty();
                changes.profile(id).markEverything();
            }
            dirty.put(id, doc);
        }
        return doc;
    }

    @Override
    public void write(Handle transaction) {
        store.write(transaction, dirty, merges);
        EventIndex.write(transaction, merges, mergedSeqs, chunks, events);
        store.writeConsent(transaction, consentedBy, consented);
    }

    @Override
    public void committed() {
        cache.putAll(dirty);
        clear();
    }

    @Override
    public void discard() {
        cache.invalidateAll();
        clear();
    }

    @Override
    public void reset(Handle transaction) {
        ProfileStore.reset(transaction);
        cache.invalidateAll();
    }

    @Override
    public void erase(Handle transaction, java.util.Collection<Long> profiles) {
        store.erase(transaction, profiles);
        cache.invalidateAll();
    }

    private void clear() {
        dirty.clear();
        merges.clear();
        events.clear();
        mergedSeqs.clear();
        chunks.clear();
        consented.clear();
        consentedBy.clear();
    }
}
