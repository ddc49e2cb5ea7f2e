package dev.tandem.profile;

import dev.tandem.pipeline.Merge;
import dev.tandem.store.Batches;
import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of which events belong to which profile, without one random row per event. A profile's
 * recent seqs are in its document ({@link ProfileDoc#seqs()}); full chunks of {@value #CHUNK} are
 * spilled to {@code profile_event_chunks}; {@code event_owners} maps every seq to its profile in seq
 * order, which is all retention and erasure need. A seq listed for a profile counts only while
 * {@code event_owners} gives it to that profile, so forgetting an archived event is one delete by
 * seq, and the documents and chunks are never rewritten for it.
 */
final class EventIndex {
    /** Seqs a document holds before they are spilled; why 32: a document grows by at most ~300 bytes. */
    static final int CHUNK = 32;

    /** A full chunk of one profile's seqs, ascending, to be written with the batch. */
    record Chunk(long profile, long[] seqs) {}

    private EventIndex() {}

    /**
     * Writes a batch's part of the index: merges first (their profiles' seqs and chunks move to the
     * kept profile), then spilled chunks, then one owner row per event. {@code mergedSeqs} holds, per
     * merge, the seqs the merged profile's document (and this batch's spills) held at the merge.
     */
    static void write(Handle h, List<Merge> merges, List<long[]> mergedSeqs, List<Chunk> chunks, List<long[]> events) {
        for (int i = 0; i < merges.size(); i++) {
            Merge m = merges.get(i);
            List<Long> seqs = new ArrayList<>();
            for (long s : mergedSeqs.get(i)) {
                seqs.add(s);
            }
            seqs.addAll(chunkSeqs(h, List.of(m.merged())));
            for (List<Long> part : InLists.chunks(seqs)) {
                h.createUpdate("UPDATE event_owners SET profile_id = :kept WHERE profile_id = :merged AND seq IN (<s>)")
                        .bind("kept", m.kept())
                        .bind("merged", m.merged())
                        .bindList("s", part)
                        .execute();
            }
            h.createUpdate("UPDATE profile_event_chunks SET profile_id = :kept WHERE profile_id = :merged")
                    .bind("kept", m.kept())
                    .bind("merged", m.merged())
                    .execute();
        }
        if (!chunks.isEmpty()) {
            Batches.run(
                    h,
                    "INSERT INTO profile_event_chunks (profile_id, first_seq, last_seq, seqs) VALUES (?, ?, ?, ?)",
                    chunks,
                    (st, c) -> {
                        st.setLong(1, c.profile());
                        st.setLong(2, c.seqs()[0]);
                        st.setLong(3, c.seqs()[c.seqs().length - 1]);
                        st.setString(4, text(c.seqs()));
                    });
        }
        if (!events.isEmpty()) {
            Batches.run(h, "INSERT INTO event_owners (seq, profile_id) VALUES (?, ?)", events, (st, e) -> {
                st.setLong(1, e[1]);
                st.setLong(2, e[0]);
            });
        }
    }

    /**
     * One profile's seqs past {@code cursor}: oldest first after it, or newest first before it (0:
     * from the end). {@code listed} are the seqs its document holds, read in the same transaction.
     */
    static List<Long> seqs(Handle h, long profile, List<Long> listed, long cursor, int limit, boolean newestFirst) {
        TreeSet<Long> candidates = new TreeSet<>(listed);
        String range = newestFirst ? "(:c = 0 OR first_seq < :c)" : "last_seq > :c";
        h.createQuery("SELECT seqs FROM profile_event_chunks WHERE profile_id = :p AND " + range)
                .bind("p", profile)
                .bind("c", cursor)
                .mapTo(String.class)
                .forEach(text -> parse(text, candidates));
        List<Long> ordered = new ArrayList<>(
                newestFirst
                        ? (cursor == 0 ? candidates : candidates.headSet(cursor, false)).descendingSet()
                        : candidates.tailSet(cursor, false));
        List<Long> out = new ArrayList<>();
        // owners are asked in pieces, so a page of a long history reads only about as many rows as it shows
        for (int from = 0; from < ordered.size() && out.size() < limit; from += InLists.SIZE) {
            List<Long> part = ordered.subList(from, Math.min(ordered.size(), from + InLists.SIZE));
            Set<Long> owned =
                    new HashSet<>(h.createQuery("SELECT seq FROM event_owners WHERE profile_id = :p AND seq IN (<s>)")
                            .bind("p", profile)
                            .bindList("s", part)
                            .mapTo(Long.class)
                            .list());
            for (long s : part) {
                if (owned.contains(s) && out.size() < limit) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Every seq of these profiles; {@code listed} are the seqs their documents hold. */
    static List<Long> allSeqs(Handle h, Collection<Long> profiles, Collection<Long> listed) {
        Set<Long> candidates = new HashSet<>(listed);
        candidates.addAll(chunkSeqs(h, profiles));
        Set<Long> wanted = new HashSet<>(profiles);
        List<Long> out = new ArrayList<>();
        profilesOf(h, List.copyOf(candidates)).forEach((seq, owner) -> {
            if (wanted.contains(owner)) {
                out.add(seq);
            }
        });
        out.sort(null);
        return out;
    }

    static Map<Long, Long> profilesOf(Handle h, List<Long> seqs) {
        Map<Long, Long> owners = new HashMap<>(seqs.size() * 2);
        for (List<Long> part : InLists.chunks(seqs)) {
            h.createQuery("SELECT seq, profile_id FROM event_owners WHERE seq IN (<s>)")
                    .bindList("s", part)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                    .forEach(e -> owners.put(e.getKey(), e.getValue()));
        }
        return owners;
    }

    static void forget(Handle h, Collection<Long> seqs) {
        for (List<Long> part : InLists.chunks(seqs)) {
            h.createUpdate("DELETE FROM event_owners WHERE seq IN (<s>)")
                    .bindList("s", part)
                    .execute();
        }
    }

    /** Removes these profiles' index; {@code seqs} are all their seqs ({@link #allSeqs}). */
    static void erase(Handle h, Collection<Long> profiles, Collection<Long> seqs) {
        forget(h, seqs);
        for (List<Long> part : InLists.chunks(profiles)) {
            h.createUpdate("DELETE FROM profile_event_chunks WHERE profile_id IN (<p>)")
                    .bindList("p", part)
                    .execute();
        }
    }

    static void reset(Handle h) {
        h.execute("DELETE FROM event_owners");
        h.execute("DELETE FROM profile_event_chunks");
    }

    private static List<Long> chunkSeqs(Handle h, Collection<Long> profiles) {
        List<Long> seqs = new ArrayList<>();
        for (List<Long> part : InLists.chunks(profiles)) {
            h.createQuery("SELECT seqs FROM profile_event_chunks WHERE profile_id IN (<p>)")
                    .bindList("p", part)
                    .mapTo(String.class)
                    .forEach(text -> parse(text, seqs));
        }
        return seqs;
    }

    private static void parse(String text, Collection<Long> into) {
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ',') {
                if (i > start) {
                    into.add(Long.parseLong(text, start, i, 10));
                }
                start = i + 1;
            }
        }
    }

    private static String text(long[] seqs) {
        StringBuilder out = new StringBuilder(seqs.length * 8);
        for (int i = 0; i < seqs.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(seqs[i]);
        }
        return out.toString();
    }
}
