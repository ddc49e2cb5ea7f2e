package dev.tandem.identity;

import dev.tandem.protect.Tokenizer;
import dev.tandem.store.Batches;
import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The SQL of the identity tables: bulk reads for a batch and bulk writes inside its transaction. */
final class IdentityStore {
    record NewLink(Identifier id, long firstSeen, String sourceId) {}

    record MergeRow(long kept, long merged, Identifier by, String messageId, long seq, long at) {}

    private final Jdbi jdbi;
    private final Tokenizer tokens;
    /** Built from the table on the first lookup; see {@link SeenIdentifiers}. */
    private SeenIdentifiers seen;
    /**
     * The tokens of the identifiers this batch looked up, until its write. Why: an identifier new to
     * the store was tokenized for its lookup and then twice more for its write (the filter and the
     * insert), each a memo lookup under a key built for it; these are most of a new customer's
     * identifiers. A token is a function of the identifier alone, so an entry is never wrong; the
     * map is emptied by every write and discard, so it holds identifiers no longer than a batch.
     */
    private final Map<Identifier, String> looked = new HashMap<>();

    IdentityStore(Jdbi jdbi, Tokenizer tokens) {
        this.jdbi = jdbi;
        this.tokens = tokens;
    }

    /**
     * The profile of each identifier that has one. Values are stored as tokens (see {@link Tokenizer});
     * an identifier the filter of stored ones has never seen is not looked up.
     */
    Map<Identifier, Long> profilesOf(Collection<Identifier> ids) {
        SeenIdentifiers filter = seen();
        Map<String, Map<String, Identifier>> byType = new HashMap<>();
        for (Identifier id : ids) {
            String token = tokens.token(id.type(), id.value());
            looked.put(id, token);
            if (filter.mayContain(id.type(), token)) {
                byType.computeIfAbsent(id.type(), t -> new HashMap<>()).put(token, id);
            }
        }
        Map<Identifier, Long> found = new HashMap<>();
        jdbi.useHandle(h -> byType.forEach((type, byToken) -> {
            for (List<String> chunk : InLists.chunks(byToken.keySet())) {
                h.createQuery("SELECT value, profile_id FROM identity_links WHERE type = :type AND value IN (<values>)")
                        .bind("type", type)
                        .bindList("values", chunk)
                        .map((rs, ctx) -> found.put(byToken.get(rs.getString(1)), rs.getLong(2)))
                        .list();
            }
        }));
        return found;
    }

    /** The identifiers of each profile, oldest first. */
    Map<Long, List<Link>> identifiersOf(Collection<Long> profiles) {
        Map<Long, List<Link>> sets = new HashMap<>();
        jdbi.useHandle(h -> {
            for (List<Long> chunk : InLists.chunks(profiles)) {
                h.createQuery(
                                "SELECT profile_id, type, value, first_seen FROM identity_links WHERE profile_id IN (<ids>) ORDER BY first_seen")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> sets.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new Link(
                                        new Identifier(rs.getString(2), tokens.value(rs.getString(2), rs.getString(3))),
                                        rs.getLong(4))))
                        .list();
            }
        });
        return sets;
    }

    private String token(Identifier id) {
        String token = looked.get(id);
        return token != null ? token : tokens.token(id.type(), id.value());
    }

    /** Drops the tokens held for the batch's write (after a failed batch, and after an erasure). */
    void forgetTokens() {
        looked.clear();
    }

    private SeenIdentifiers seen() {
        if (seen == null || seen.full()) {
            // in a transaction: PostgreSQL streams a result by the fetch size only inside one
            seen = jdbi.inTransaction(h -> {
                long links = h.createQuery("SELECT COUNT(*) FROM identity_links")
                        .mapTo(Long.class)
                        .one();
                SeenIdentifiers filter = new SeenIdentifiers(links);
                h.createQuery("SELECT type, value FROM identity_links")
                        .setFetchSize(10_000)
                        .map((rs, ctx) -> {
                            filter.add(rs.getString(1), rs.getString(2));
                            return Boolean.TRUE;
                        })
                        .forEach(ignored -> {});
                return filter;
            });
        }
        return seen;
    }

    long nextProfileId() {
        return jdbi.withHandle(IdentityStore::nextProfileId);
    }

    /** The id of the next new profile, as {@code h} sees the tables: above every profile, and above every erased one. */
    static long nextProfileId(Handle h) {
        // Why the erased ids too: an id given again would find the erased profile's key, which may not be destroyed yet
        return h.createQuery("SELECT MAX(id) + 1 FROM (SELECT COALESCE(MAX(id), 0) AS id FROM profiles "
                        + "UNION ALL SELECT id FROM erased_profile_ids) ids")
                .mapTo(Long.class)
                .one();
    }

    /** Writes one batch's changes: new profiles, merges in the order they happened, then the new links with their final profile. */
    void write(
            Handle h,
            List<long[]> newProfiles,
            List<MergeRow> merges,
            List<NewLink> links,
            Map<Identifier, Long> finalProfile) {
        if (!newProfiles.isEmpty()) {
            Batches.run(h, "INSERT INTO profiles (id, created_at) VALUES (?, ?)", newProfiles, (st, p) -> {
                st.setLong(1, p[0]);
                st.setLong(2, p[1]);
            });
        }
        for (MergeRow m : merges) {
            h.createUpdate("UPDATE identity_links SET profile_id = :kept WHERE profile_id = :merged")
                    .bind("kept", m.kept())
                    .bind("merged", m.merged())
                    .execute();
            h.createUpdate("UPDATE profiles SET merged_into = :kept WHERE id = :merged OR merged_into = :merged")
                    .bind("kept", m.kept())
                    .bind("merged", m.merged())
                    .execute();
            h.createUpdate("INSERT INTO identity_merges (kept, merged, id_type, id_value, message_id, seq, at) "
                            + "VALUES (:kept, :merged, :type, :value, :message, :seq, :at)")
                    .bind("kept", m.kept())
                    .bind("merged", m.merged())
                    .bind("type", m.by().type())
                    .bind("value", token(m.by()))
                    .bind("message", m.messageId())
                    .bind("seq", m.seq())
                    .bind("at", m.at())
                    .execute();
        }
        if (!links.isEmpty()) {
            SeenIdentifiers filter = seen();
            List<String> linkTokens = new ArrayList<>(links.size());
            for (NewLink l : links) {
                String token = token(l.id());
                linkTokens.add(token);
                filter.add(l.id().type(), token);
            }
            int[] row = {0};
            Batches.run(
                    h,
                    "INSERT INTO identity_links (type, value, profile_id, first_seen, source_id) VALUES (?, ?, ?, ?, ?)",
                    links,
                    (st, l) -> {
                        st.setString(1, l.id().type());
                        st.setString(2, linkTokens.get(row[0]++));
                        st.setLong(3, finalProfile.get(l.id()));
                        st.setLong(4, l.firstSeen());
                        st.setString(5, l.sourceId());
                    });
        }
        looked.clear();
    }

    static void erase(Handle h, java.util.Collection<Long> profiles) {
        if (!profiles.isEmpty()) {
            h.createUpdate(
                            "INSERT INTO erased_profile_ids (name, id) VALUES ('highest', :id) ON CONFLICT (name) DO UPDATE SET id = "
                                    + "CASE WHEN excluded.id > erased_profile_ids.id THEN excluded.id ELSE erased_profile_ids.id END")
                    .bind("id", java.util.Collections.max(profiles))
                    .execute();
        }
        for (List<Long> chunk : InLists.chunks(profiles)) {
            h.createUpdate("DELETE FROM identity_merges WHERE kept IN (<p>) OR merged IN (<p>)")
                    .bindList("p", chunk)
                    .execute();
            h.createUpdate("DELETE FROM identity_links WHERE profile_id IN (<p>)")
                    .bindList("p", chunk)
                    .execute();
            h.createUpdate("DELETE FROM profiles WHERE id IN (<p>)")
                    .bindList("p", chunk)
                    .execute();
        }
    }

    static void reset(Handle h) {
        h.execute("DELETE FROM identity_merges");
        h.execute("DELETE FROM identity_links");
        h.execute("DELETE FROM profiles");
    }
}
