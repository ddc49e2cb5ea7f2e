package dev.tandem.collect;

import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/** Deletes an erased subject's stored events from the inbox, and quarantined events that name it. */
public final class InboxErasure {
    private InboxErasure() {}

    /** Deletes these events from the inbox; returns how many were deleted. */
    public static int erase(Handle h, Collection<Long> seqs) {
        int inbox = 0;
        for (List<Long> chunk : InLists.chunks(seqs)) {
            inbox += h.createUpdate("DELETE FROM inbox WHERE seq IN (<s>)")
                    .bindList("s", chunk)
                    .execute();
        }
        return inbox;
    }

    /**
     * Deletes the quarantined events whose payload (as received: JSON or not) {@code mentions} says
     * names the erased subject; returns how many. Why every row is read: a refused event holds the
     * identifier as it was sent ({@code Ann@Example.COM}, {@code (415) 555-0199}), which no text
     * search for the normalised value finds; the quarantine is small next to the inbox.
     */
    public static int eraseQuarantined(Handle h, Predicate<String> mentions) {
        List<Long> named = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Map.Entry<Long, String>> page = h.createQuery(
                            "SELECT id, payload FROM quarantine WHERE id > :after ORDER BY id LIMIT 1000")
                    .bind("after", after)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                    .list();
            if (page.isEmpty()) {
                break;
            }
            for (Map.Entry<Long, String> row : page) {
                if (mentions.test(row.getValue())) {
                    named.add(row.getKey());
                }
            }
            after = page.get(page.size() - 1).getKey();
        }
        int deleted = 0;
        for (List<Long> chunk : InLists.chunks(named)) {
            deleted += h.createUpdate("DELETE FROM quarantine WHERE id IN (<i>)")
                    .bindList("i", chunk)
                    .execute();
        }
        return deleted;
    }

    /**
     * Deletes events after {@code afterSeq} (accepted, not yet processed) that {@code match} says
     * belong to the erased subject, so that processing them later cannot bring the profile back.
     * Pages through the backlog; usually it is short.
     */
    public static int eraseUnprocessed(
            Handle h,
            long afterSeq,
            java.util.function.Predicate<com.fasterxml.jackson.databind.node.ObjectNode> match,
            com.fasterxml.jackson.databind.ObjectMapper mapper,
            EventSealing sealing) {
        int deleted = 0;
        long after = afterSeq;
        while (true) {
            List<StoredEvent> page = h.createQuery(
                            "SELECT seq, source_id, payload FROM inbox WHERE seq > :after ORDER BY seq LIMIT 2000")
                    .bind("after", after)
                    .map((rs, ctx) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3)))
                    .list();
            if (page.isEmpty()) {
                return deleted;
            }
            for (StoredEvent e : page) {
                try {
                    if (mapper.readTree(e.payload()) instanceof com.fasterxml.jackson.databind.node.ObjectNode event
                            && matches(sealing, e.payload(), event, match)) {
                        deleted += h.createUpdate("DELETE FROM inbox WHERE seq = :s")
                                .bind("s", e.seq())
                                .execute();
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                    throw new IllegalStateException("Inbox event " + e.seq() + " is not JSON", ex);
                }
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    /** Whether the event, its sealed values opened (an email may be one), belongs to the erased subject. */
    private static boolean matches(
            EventSealing sealing,
            String payload,
            com.fasterxml.jackson.databind.node.ObjectNode event,
            java.util.function.Predicate<com.fasterxml.jackson.databind.node.ObjectNode> match) {
        if (sealing.sealed(payload)) {
            sealing.open(event);
        }
        return match.test(event);
    }
}
