package dev.tandem.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.pipeline.Merge;
import dev.tandem.protect.TraitSealer;
import dev.tandem.store.Batches;
import dev.tandem.store.InLists;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of the profile tables. Documents are stored with their personal traits encrypted by
 * the profile's key ({@link TraitSealer}) and held in memory decrypted.
 */
public final class ProfileStore {
    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final TraitSealer sealer;

    public ProfileStore(Jdbi jdbi, ObjectMapper mapper, TraitSealer sealer) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.sealer = sealer;
    }

    Map<Long, ProfileDoc> load(Collection<Long> ids) {
        return load(ids, name -> true);
    }

    /** Documents to read with only the personal traits {@code wanted} decrypted, the others left out. */
    Map<Long, ProfileDoc> load(Collection<Long> ids, java.util.function.Predicate<String> wanted) {
        return opened(trees(ids), true, wanted, false);
    }

    /**
     * Documents to update: only the personal traits {@code wanted} are decrypted; the others keep
     * just their ciphertext, which is written back as it is unless the trait changes. Why: most
     * updates touch no personal trait, and decrypting means a key per profile.
     */
    Map<Long, ProfileDoc> loadForUpdate(Collection<Long> ids, java.util.function.Predicate<String> wanted) {
        return opened(trees(ids), true, wanted, true);
    }

    /** Decrypts every personal trait of a document still held as ciphertext only. */
    void reveal(long id, ProfileDoc doc) {
        sealer.open(Map.of(id, doc.json()), true, name -> true, true);
    }

    private Map<Long, ObjectNode> trees(Collection<Long> ids) {
        Map<Long, ObjectNode> trees = new HashMap<>();
        jdbi.useHandle(h -> {
            for (List<Long> chunk : InLists.chunks(ids)) {
                h.createQuery("SELECT profile_id, doc FROM profile_docs WHERE profile_id IN (<ids>)")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> trees.put(rs.getLong(1), tree(rs.getString(2))))
                        .list();
            }
        });
        return trees;
    }

    /**
     * Stored documents as held in memory: the personal traits {@code wanted} decrypted, the other
     * encrypted ones left out or, with {@code keepSealed}, kept as ciphertext. {@code remember} false
     * for scans, which should not fill the key cache. See {@link TraitSealer#open}.
     */
    Map<Long, ProfileDoc> opened(
            Map<Long, ObjectNode> trees,
            boolean remember,
            java.util.function.Predicate<String> wanted,
            boolean keepSealed) {
        sealer.open(trees, remember, wanted, keepSealed);
        Map<Long, ProfileDoc> docs = new HashMap<>(trees.size() * 2);
        trees.forEach((id, tree) -> docs.put(id, new ProfileDoc(tree)));
        return docs;
    }

    Optional<ProfileDoc> load(long id) {
        return Optional.ofNullable(load(List.of(id)).get(id));
    }

    /** A stored document not parsed yet. */
    record RawDoc(long id, String json) {}

    /** Documents with ids above {@code afterId}, by id, as stored: the caller parses them, on as many threads as it likes. */
    List<RawDoc> page(long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT profile_id, doc FROM profile_docs WHERE profile_id > :after ORDER BY profile_id LIMIT :limit")
                .bind("after", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> new RawDoc(rs.getLong(1), rs.getString(2)))
                .list());
    }

    long maxId() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(profile_id), 0) FROM profile_docs")
                .mapTo(Long.class)
                .one());
    }

    long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM profile_docs")
                .mapTo(Long.class)
                .one());
    }

    /** The seqs of a profile's events past the cursor: after it oldest first, or before it (0: from the end) newest first. */
    List<Long> eventSeqs(long profile, long cursor, int limit, boolean newestFirst) {
        // one transaction: a spill between reading the document and the chunks would hide its seqs
        return jdbi.inTransaction(
                h -> EventIndex.seqs(h, profile, listedSeqs(h, List.of(profile)), cursor, limit, newestFirst));
    }

    /** The seqs the documents of these profiles hold (their unspilled recent events); read without decrypting. */
    private List<Long> listedSeqs(Handle h, Collection<Long> profiles) {
        List<Long> seqs = new java.util.ArrayList<>();
        for (List<Long> chunk : InLists.chunks(profiles)) {
            h.createQuery("SELECT doc FROM profile_docs WHERE profile_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .mapTo(String.class)
                    .forEach(json -> {
                        try {
                            mapper.readTree(json).path("seqs").forEach(n -> seqs.add(n.asLong()));
                        } catch (JsonProcessingException e) {
                            throw new IllegalStateException(
                                    "A stored profile document is not JSON: " + e.getOriginalMessage(), e);
                        }
                    });
        }
        return seqs;
    }

    void write(Handle h, Map<Long, ProfileDoc> dirty, List<Merge> merges) {
        for (Merge m : merges) {
            h.createUpdate("DELETE FROM profile_docs WHERE profile_id = :merged")
                    .bind("merged", m.merged())
                    .execute();
            h.createUpdate("UPDATE consent_history SET profile_id = :kept WHERE profile_id = :merged")
                    .bind("kept", m.kept())
                    .bind("merged", m.merged())
                    .execute();
        }
        if (!dirty.isEmpty()) {
            Map<Long, ObjectNode> trees = new HashMap<>(dirty.size() * 2);
            dirty.forEach((id, doc) -> trees.put(id, doc.json()));
            Batches.run(
                    h,
                    "INSERT INTO profile_docs (profile_id, doc) VALUES (?, ?) ON CONFLICT (profile_id) DO UPDATE SET doc = excluded.doc",
                    sealer.seal(trees).entrySet(),
                    (st, e) -> {
                        st.setLong(1, e.getKey());
                        st.setString(2, text(e.getValue()));
                    });
        }
    }

    void writeConsent(Handle h, List<Long> profiles, List<ConsentChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Batches.run(
                h,
                "INSERT INTO consent_history (profile_id, purpose, granted, signal, at, message_id) VALUES (?, ?, ?, ?, ?, ?)",
                java.util.stream.IntStream.range(0, changes.size()).boxed().toList(),
                (st, i) -> {
                    ConsentChange c = changes.get(i);
                    st.setLong(1, profiles.get(i));
                    st.setString(2, c.purpose());
                    st.setInt(3, c.granted() ? 1 : 0);
                    st.setString(4, c.signal());
                    st.setLong(5, c.at());
                    st.setString(6, c.messageId());
                });
    }

    /** A profile's consent changes, oldest first. */
    List<ConsentChange> consentHistory(long profile) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT purpose, granted, signal, at, message_id FROM consent_history "
                                + "WHERE profile_id = :p ORDER BY id")
                .bind("p", profile)
                .map((rs, ctx) -> new ConsentChange(
                        rs.getString(1), rs.getInt(2) == 1, rs.getString(3), rs.getLong(4), rs.getString(5)))
                .list());
    }

    void erase(Handle h, Collection<Long> profiles) {
        EventIndex.erase(h, profiles, allEventSeqs(h, profiles));
        for (List<Long> chunk : InLists.chunks(profiles)) {
            for (String table : new String[] {"consent_history", "profile_docs"}) {
                h.createUpdate("DELETE FROM " + table + " WHERE profile_id IN (<p>)")
                        .bindList("p", chunk)
                        .execute();
            }
        }
    }

    /** Every event seq of these profiles, ascending. */
    List<Long> allEventSeqs(Handle h, Collection<Long> profiles) {
        return EventIndex.allSeqs(h, profiles, listedSeqs(h, profiles));
    }

    static Map<Long, Long> profilesOf(Handle h, List<Long> seqs) {
        return EventIndex.profilesOf(h, seqs);
    }

    static void forgetEvents(Handle h, Collection<Long> seqs) {
        EventIndex.forget(h, seqs);
    }

    static void reset(Handle h) {
        h.execute("DELETE FROM consent_history");
        EventIndex.reset(h);
        h.execute("DELETE FROM profile_docs");
    }

    ObjectNode tree(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored profile document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private String text(ObjectNode doc) {
        try {
            return mapper.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
