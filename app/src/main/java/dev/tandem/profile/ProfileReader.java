package dev.tandem.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/** The committed profiles as {@link ProfileView}s, one at a time or in pages by id. */
public final class ProfileReader {
    final ProfileStore store;
    final ProfileRules rules;
    final Function<String, String> sourceName;
    final Clock clock;

    public ProfileReader(Jdbi jdbi, ObjectMapper mapper, ProfileRules rules, Function<String, String> sourceName, Clock clock) {
        this.store = new ProfileStore(jdbi, mapper);
        this.rules = rules;
        this.sourceName = sourceName;
        this.clock = clock;
    }

    public Optional<ProfileView> view(long id) {
        return store.load(id).map(doc -> doc.view(id, rules, sourceName, clock.millis()));
    }

    /** The profile's consent changes, oldest first. */
    public List<ConsentChange> consentHistory(long id) {
        return store.consentHistory(id);
    }

    /** Every event of the profile, as inbox seqs, oldest first. */
    public List<Long> eventSeqs(long id) {
        return store.eventSeqs(id, 0, Integer.MAX_VALUE, false);
    }

    /** Whether any stated choice of the profile came from the Global Privacy Control signal. */
    public boolean sentGpc(long id) {
        return store.load(id).map(doc -> {
            for (var e : doc.consentState().properties()) {
                if ("gpc".equals(e.getValue().path("sig").asText())) {
                    return true;
                }
            }
            return false;
        }).orElse(false);
    }

    /**
     * Up to {@code limit} profiles with ids above {@code afterId}, by id. Parsed on both cores for
     * a large page: parsing the documents is most of the time a scan over all profiles takes.
     */
    public List<ProfileView> page(long afterId, int limit) {
        long now = clock.millis();
        List<ProfileStore.RawDoc> raw = store.page(afterId, limit);
        return (raw.size() >= 256 ? raw.parallelStream() : raw.stream())
                .map(r -> store.parse(r.json()).view(r.id(), rules, sourceName, now)).toList();
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
