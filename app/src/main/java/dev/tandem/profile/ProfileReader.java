package dev.tandem.profile;

import dev.tandem.expr.ProfileView;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The committed profiles as {@link ProfileView}s, one at a time or in pages by id. */
public final class ProfileReader {
    final ProfileStore store;
    final ProfileRules rules;
    final Function<String, String> sourceName;
    final Clock clock;

    public ProfileReader(ProfileStore store, ProfileRules rules, Function<String, String> sourceName, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.sourceName = sourceName;
        this.clock = clock;
    }

    public Optional<ProfileView> view(long id) {
        return store.load(id).map(doc -> doc.view(id, rules, sourceName, clock.millis()));
    }

    /**
     * The profile with only the personal traits {@code wanted} decrypted; the other personal traits
     * are left out of the view. Why: decrypting means the profile's key (read from the key store and
     * unwrapped for a profile not in its cache), and a decision's rules usually read no personal
     * trait, so a decision that asks for none touches no key.
     */
    public Optional<ProfileView> view(long id, java.util.function.Predicate<String> wanted) {
        ProfileDoc doc = store.loadForUpdate(List.of(id), wanted).get(id);
        return Optional.ofNullable(doc).map(d -> d.view(id, rules, sourceName, clock.millis()));
    }

    /** The profile's consent changes, oldest first. */
    public List<ConsentChange> consentHistory(long id) {
        return store.consentHistory(id);
    }

    /** Every event of the profile, as inbox seqs, oldest first. */
    /** Every event of these profiles (inbox seqs), read inside an erasure's transaction before the stages erase them. */
    public List<Long> eventSeqs(org.jdbi.v3.core.Handle transaction, java.util.Collection<Long> profiles) {
        return store.allEventSeqs(transaction, profiles);
    }

    /**
     * The profile each of these event seqs was applied to (seqs of no profile are left out), read
     * inside the transaction that archives them.
     */
    public Map<Long, Long> profilesOf(org.jdbi.v3.core.Handle transaction, List<Long> seqs) {
        return ProfileStore.profilesOf(transaction, seqs);
    }

    /**
     * Takes these seqs out of their profiles' event listings (the events left the live store after
     * their retention); the profiles' traits and counts stay as the events made them.
     */
    public void forgetEvents(org.jdbi.v3.core.Handle transaction, java.util.Collection<Long> seqs) {
        ProfileStore.forgetEvents(transaction, seqs);
    }

    public List<Long> eventSeqs(long id) {
        return store.eventSeqs(id, 0, Integer.MAX_VALUE, false);
    }

    /** A profile's consent as the policy gate reads it: whether data may be used for each purpose, and whether GPC was sent. */
    public record Consent(Map<String, Boolean> allowed, boolean gpc) {}

    /** The profile's consent, from one read of its document and without decrypting its traits; a profile not held has none stated. */
    public Consent consent(long id) {
        return consentOf(store.loadForUpdate(List.of(id), name -> false).getOrDefault(id, ProfileDoc.empty()));
    }

    private Consent consentOf(ProfileDoc doc) {
        boolean gpc = false;
        for (var e : doc.consentState().properties()) {
            gpc |= "gpc".equals(e.getValue().path("sig").asText());
        }
        return new Consent(rules.purposes().effective(doc.stated()), gpc);
    }

    /** The consent of each of {@code ids}, from one read of their documents; a profile not held has none stated. */
    public Map<Long, Consent> consents(java.util.Collection<Long> ids) {
        Map<Long, ProfileDoc> docs = store.loadForUpdate(ids, name -> false);
        Map<Long, Consent> out = new java.util.HashMap<>();
        for (long id : ids) {
            out.put(id, consentOf(docs.getOrDefault(id, ProfileDoc.empty())));
        }
        return out;
    }

    /** Views of profiles (an id without a profile is left out) and their consents, as {@link #consents} gives them. */
    public record Read(Map<Long, ProfileView> views, Map<Long, Consent> consents) {}

    /**
     * The views and the consents of {@code ids} from one read of their documents, for a walk that
     * needs both (a journey's slice): half the reads and parses of asking for each.
     */
    public Read viewsAndConsents(java.util.Collection<Long> ids) {
        return viewsAndConsents(ids, name -> true);
    }

    /**
     * As {@link #viewsAndConsents(java.util.Collection)}, with only the personal traits {@code wanted}
     * decrypted and the others left out of the views (a key per profile saved when none is wanted).
     */
    public Read viewsAndConsents(java.util.Collection<Long> ids, java.util.function.Predicate<String> wanted) {
        long now = clock.millis();
        Map<Long, ProfileDoc> docs = store.load(ids, wanted);
        Map<Long, ProfileView> views = new java.util.HashMap<>(docs.size() * 2);
        Map<Long, Consent> consents = new java.util.HashMap<>(ids.size() * 2);
        for (long id : ids) {
            ProfileDoc doc = docs.get(id);
            if (doc != null) {
                views.put(id, doc.view(id, rules, sourceName, now));
            }
            consents.put(id, consentOf(doc == null ? ProfileDoc.empty() : doc));
        }
        return new Read(views, consents);
    }

    /**
     * Up to {@code limit} profiles with ids above {@code afterId}, by id. Parsed on both cores for
     * a large page: parsing the documents is most of the time a scan over all profiles takes.
     */
    public List<ProfileView> page(long afterId, int limit) {
        return page(afterId, limit, name -> true);
    }

    /**
     * As {@link #page(long, int)}, with only the personal traits {@code wanted} decrypted and the
     * others left out of the views: decrypting costs a key per profile, and most scans read none.
     */
    public List<ProfileView> page(long afterId, int limit, java.util.function.Predicate<String> wanted) {
        long now = clock.millis();
        List<ProfileStore.RawDoc> raw = store.page(afterId, limit);
        boolean parallel = raw.size() >= 256;
        Map<Long, com.fasterxml.jackson.databind.node.ObjectNode> trees = (parallel
                        ? raw.parallelStream()
                        : raw.stream())
                .collect(java.util.stream.Collectors.toConcurrentMap(
                        ProfileStore.RawDoc::id, r -> store.tree(r.json())));
        Map<Long, ProfileDoc> docs = store.opened(trees, false, wanted, false);
        return (parallel ? raw.parallelStream() : raw.stream())
                .map(r -> docs.get(r.id()).view(r.id(), rules, sourceName, now))
                .toList();
    }

    /** A visitor without a profile, as rules read one: no traits, no events, counts and sums of computed traits at 0. */
    public ProfileView nobody() {
        return ProfileDoc.empty().view(0, rules, sourceName, clock.millis());
    }

    /** The highest profile id that has a document, 0 when none has. */
    public long maxId() {
        return store.maxId();
    }

    /** How many profiles have a document. */
    public long count() {
        return store.count();
    }
}
