package dev.tandem.identity;

import dev.tandem.pipeline.StageCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Who owns which identifier, as the resolver sees it during a batch: committed state in two
 * bounded caches over the database, and the batch's own changes in an overlay on top.
 *
 * <p>Why the overlay: the caches only ever hold committed state (immutable lists), so a failed
 * transaction is undone by dropping the overlay, and a cache eviction in the middle of a batch
 * cannot lose a change. The processor is the only writer of these tables, so the caches cannot
 * go stale behind its back.
 */
final class IdentityGraph {
    private static final long NONE = 0;

    private final IdentityStore store;
    private final StageCache<Identifier, Long> links;
    private final StageCache<Long, List<Link>> sets;
    private final Map<Identifier, Long> pendingLinks = new HashMap<>();
    private final Map<Long, List<Link>> pendingSets = new HashMap<>();
    private final List<long[]> newProfiles = new ArrayList<>();
    private final List<IdentityStore.MergeRow> merges = new ArrayList<>();
    private final List<IdentityStore.NewLink> newLinks = new ArrayList<>();
    private long committedNextId;
    private long nextId;

    IdentityGraph(IdentityStore store, long cachedIdentifiers) {
        this.store = store;
        this.links = new StageCache<>(cachedIdentifiers);
        this.sets = new StageCache<>(Math.max(1, cachedIdentifiers / 3));
        this.committedNextId = store.nextProfileId();
        this.nextId = committedNextId;
    }

    /** Loads into the cache whatever of {@code ids}, and of the profiles they belong to, it does not hold. */
    void prefetch(Collection<Identifier> ids) {
        List<Identifier> missing = new ArrayList<>();
        for (Identifier id : ids) {
            if (!pendingLinks.containsKey(id) && links.getIfPresent(id) == null) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            Map<Identifier, Long> found = store.profilesOf(missing);
            for (Identifier id : missing) {
                links.put(id, found.getOrDefault(id, NONE));
            }
        }
        Set<Long> profiles = new HashSet<>();
        for (Identifier id : ids) {
            long p = profileOf(id);
            if (p != NONE && !pendingSets.containsKey(p) && sets.getIfPresent(p) == null) {
                profiles.add(p);
            }
        }
        if (!profiles.isEmpty()) {
            Map<Long, List<Link>> found = store.identifiersOf(profiles);
            for (long p : profiles) {
                sets.put(p, List.copyOf(found.getOrDefault(p, List.of())));
            }
        }
    }

    /** The profile that owns {@code id}, or 0 when none does. */
    long profileOf(Identifier id) {
        Long p = pendingLinks.get(id);
        if (p == null) {
            p = links.getIfPresent(id);
        }
        if (p == null) {
            p = store.profilesOf(List.of(id)).getOrDefault(id, NONE);
            links.put(id, p);
        }
        return p;
    }

    List<Link> identifiersOf(long profile) {
        List<Link> set = pendingSets.get(profile);
        if (set == null) {
            set = sets.getIfPresent(profile);
        }
        if (set == null) {
            set = List.copyOf(store.identifiersOf(List.of(profile)).getOrDefault(profile, List.of()));
            sets.put(profile, set);
        }
        return set;
    }

    /** The profiles whose identifiers this batch changed. */
    java.util.Set<Long> changedInBatch() {
        return pendingSets.keySet();
    }

    long newProfile(long at) {
        long id = nextId++;
        newProfiles.add(new long[] {id, at});
        pendingSets.put(id, new ArrayList<>());
        return id;
    }

    void link(Identifier id, long profile, long firstSeen, String sourceId) {
        pendingLinks.put(id, profile);
        editable(profile).add(new Link(id, firstSeen));
        newLinks.add(new IdentityStore.NewLink(id, firstSeen, sourceId));
    }

    /** Moves every identifier of {@code merged} to {@code kept} and records the merge. */
    void merge(long kept, long merged, Identifier by, String messageId, long seq, long at) {
        List<Link> moving = identifiersOf(merged);
        List<Link> target = editable(kept);
        for (Link l : moving) {
            pendingLinks.put(l.id(), kept);
            target.add(l);
        }
        pendingSets.put(merged, List.of());
        merges.add(new IdentityStore.MergeRow(kept, merged, by, messageId, seq, at));
    }

    private List<Link> editable(long profile) {
        List<Link> set = pendingSets.get(profile);
        // committed sets are immutable lists; the first change in a batch copies one into the overlay
        if (!(set instanceof ArrayList)) {
            set = new ArrayList<>(identifiersOf(profile));
            pendingSets.put(profile, set);
        }
        return set;
    }

    void write(Handle h) {
        store.write(h, newProfiles, merges, newLinks, pendingLinks);
    }

    int mergeCount() {
        return merges.size();
    }

    int newProfileCount() {
        return newProfiles.size();
    }

    void committed() {
        links.putAll(pendingLinks);
        pendingSets.forEach((p, set) -> {
            if (set.isEmpty()) {
                sets.invalidate(p);
            } else {
                sets.put(p, List.copyOf(set));
            }
        });
        committedNextId = nextId;
        clearPending();
    }

    void discard() {
        nextId = committedNextId;
        store.forgetTokens();
        clearPending();
    }

    /** After the tables were emptied for a replay, or profiles erased: new profiles are numbered from {@code nextId}. */
    void forgetAll(long nextId) {
        links.invalidateAll();
        sets.invalidateAll();
        committedNextId = nextId;
        discard();
    }

    private void clearPending() {
        pendingLinks.clear();
        pendingSets.clear();
        newProfiles.clear();
        merges.clear();
        newLinks.clear();
    }
}
