package dev.tandem.collect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongPredicate;
import org.jdbi.v3.core.Handle;

/**
 * The inbox's and the quarantine's own reads and deletes for retention: the rows of one source
 * received before a time, in key order, and their removal. Every method takes the handle of the
 * store that holds the inbox, so the archiver can be pointed at another one.
 */
public final class InboxAging {
    private InboxAging() {}

    /** An inbox row as retention sees it. */
    public record Aged(long seq, String sourceId, long receivedAt, String payload) {}

    /**
     * The largest seq at most {@code hi} whose row was received before {@code before}, found by
     * halving between {@code lo} and {@code hi}. Why a search: there is no index on the time, and
     * seq order is commit order, so receivedAt grows with seq (a server clock set back makes it
     * find less, never more: rows are still checked one by one).
     */
    public static long lastSeqBefore(Handle h, long lo, long hi, long before) {
        long found = lo;
        long low = lo + 1;
        long high = hi;
        while (low <= high) {
            long mid = low + (high - low) / 2;
            Long at = h.createQuery("SELECT received_at FROM inbox WHERE seq >= :s AND seq <= :hi ORDER BY seq LIMIT 1")
                    .bind("s", mid)
                    .bind("hi", high)
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(null);
            if (at == null) {
                high = mid - 1;
            } else if (at < before) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Rows of a source with a seq in ({@code after}, {@code upTo}], oldest first, at most {@code limit}. */
    public static List<Aged> events(Handle h, String sourceId, long after, long upTo, int limit) {
        return h.createQuery("SELECT seq, source_id, received_at, payload FROM inbox "
                        + "WHERE seq > :after AND seq <= :upTo AND source_id = :s ORDER BY seq LIMIT :n")
                .bind("after", after)
                .bind("upTo", upTo)
                .bind("s", sourceId)
                .bind("n", limit)
                .map((rs, ctx) -> new Aged(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .list();
    }

    /**
     * Moves a source's events received before {@code before} with a seq at most {@code upTo} (the
     * processor's cursor) to the archive, oldest first and at most {@code limit}, inside {@code h};
     * returns the seqs archived. They are taken in seq order up to the first one that is not old
     * enough, so every archived seq of a source is below every live one of it; events
     * {@code applied} says no to (set aside by the processor) are left in the inbox, and so is the
     * newest row of the inbox (see {@link #newest}).
     *
     * @param profileOf the profile each seq was applied to, for the archive lines
     */
    public static List<Long> archiveEvents(
            Handle h,
            Archive archive,
            ObjectMapper mapper,
            String sourceId,
            long upTo,
            long before,
            int limit,
            LongPredicate applied,
            Function<List<Long>, Map<Long, Long>> profileOf) {
        long after = archive.lastKey(h, Archive.Kind.EVENTS, sourceId);
        long bound = lastSeqBefore(h, after, Math.min(upTo, newest(h, "SELECT MAX(seq) FROM inbox") - 1), before);
        if (bound <= after) {
            return List.of();
        }
        List<Aged> rows = events(h, sourceId, after, bound, limit);
        List<Aged> due = new ArrayList<>(rows.size());
        for (Aged row : rows) {
            if (row.receivedAt() >= before) {
                break;
            }
            if (applied.test(row.seq())) {
                due.add(row);
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        List<Long> seqs = due.stream().map(Aged::seq).toList();
        Map<Long, Long> profiles = profileOf.apply(seqs);
        List<Archive.Line> lines = new ArrayList<>(due.size());
        for (Aged row : due) {
            ArchivedEvent event =
                    new ArchivedEvent(row.seq(), sourceId, row.receivedAt(), profiles.get(row.seq()), row.payload());
            lines.add(new Archive.Line(row.seq(), row.receivedAt(), event.json(mapper)));
        }
        archive.append(h, Archive.Kind.EVENTS, sourceId, lines);
        deleteEvents(h, seqs);
        return seqs;
    }

    /**
     * The newest key of a table, 0 when it is empty. Why retention never takes the newest row: on
     * SQLite an {@code INTEGER PRIMARY KEY} without AUTOINCREMENT hands out one more than the
     * largest key present, so deleting the newest rows would hand their seqs out again, below the
     * processor's cursor, and those events would never be applied; with the newest row kept, every
     * new key is above every key ever given.
     */
    static long newest(Handle h, String sql) {
        Long max = h.createQuery(sql).mapTo(Long.class).one();
        return max == null ? 0 : max;
    }

    /** Deletes these inbox rows; returns how many. */
    public static int deleteEvents(Handle h, Collection<Long> seqs) {
        return InboxErasure.erase(h, seqs);
    }

    /**
     * Moves the quarantined events of a source received before {@code before} to the archive, the
     * oldest first and at most {@code limit}, inside {@code h}; returns how many. They are taken in
     * id order up to the first one that is not old enough, as events are.
     */
    public static int archiveQuarantined(
            Handle h, Archive archive, ObjectMapper mapper, String sourceId, long before, int limit) {
        long after = archive.lastKey(h, Archive.Kind.QUARANTINE, sourceId);
        List<QuarantinedEvent> rows = h.createQuery(
                        "SELECT id, source_id, received_at, code, message, field, payload, replayed_at "
                                + "FROM quarantine WHERE id > :after AND id < :newest AND source_id = :s "
                                + "ORDER BY id LIMIT :n")
                .bind("after", after)
                .bind("newest", newest(h, "SELECT MAX(id) FROM quarantine"))
                .bind("s", sourceId)
                .bind("n", limit)
                .map((rs, ctx) -> InboxReader.quarantined(rs))
                .list();
        List<Archive.Line> lines = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (QuarantinedEvent q : rows) {
            if (q.receivedAt() >= before) {
                break;
            }
            lines.add(new Archive.Line(q.id(), q.receivedAt(), line(mapper, q)));
            ids.add(q.id());
        }
        if (lines.isEmpty()) {
            return 0;
        }
        archive.append(h, Archive.Kind.QUARANTINE, sourceId, lines);
        deleteQuarantined(h, ids);
        return lines.size();
    }

    /** One quarantine file line: the row as stored, the payload exactly as received. */
    private static String line(ObjectMapper mapper, QuarantinedEvent q) {
        ObjectNode n = mapper.createObjectNode()
                .put("id", q.id())
                .put("source", q.sourceId())
                .put("receivedAt", q.receivedAt())
                .put("code", q.reason().code())
                .put("message", q.reason().message())
                .put("field", q.reason().field())
                .put("payload", q.payload());
        if (q.replayedAt() == null) {
            n.putNull("replayedAt");
        } else {
            n.put("replayedAt", q.replayedAt());
        }
        try {
            return mapper.writeValueAsString(n);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Deletes these quarantine rows; returns how many. */
    public static int deleteQuarantined(Handle h, Collection<Long> ids) {
        int deleted = 0;
        for (List<Long> chunk : InLists.chunks(ids)) {
            deleted += h.createUpdate("DELETE FROM quarantine WHERE id IN (<i>)")
                    .bindList("i", chunk)
                    .execute();
        }
        return deleted;
    }
}
