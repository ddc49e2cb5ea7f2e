package dev.tandem.collect;

import dev.tandem.store.Dialect;
import dev.tandem.store.InLists;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Deletes an erased subject's stored events from the inbox, and quarantined events that mention any of its identifiers. */
public final class InboxErasure {
    private InboxErasure() {}

    /** @return events deleted from the inbox and from the quarantine */
    public static int[] erase(Handle h, Dialect dialect, Collection<Long> seqs, List<String> identifierValues) {
        int inbox = 0;
        for (List<Long> chunk : InLists.chunks(seqs)) {
            inbox += h.createUpdate("DELETE FROM inbox WHERE seq IN (<s>)").bindList("s", chunk).execute();
        }
        String contains = dialect == Dialect.SQLITE ? "instr(payload, :v) > 0" : "strpos(payload, :v) > 0";
        int quarantined = 0;
        for (String value : identifierValues) {
            quarantined += h.createUpdate("DELETE FROM quarantine WHERE " + contains).bind("v", value).execute();
        }
        return new int[] {inbox, quarantined};
    }

    /**
     * Deletes events after {@code afterSeq} (accepted, not yet processed) that {@code match} says
     * belong to the erased subject, so that processing them later cannot bring the profile back.
     * Pages through the backlog; usually it is short.
     */
    public static int eraseUnprocessed(Handle h, long afterSeq, java.util.function.Predicate<com.fasterxml.jackson.databind.node.ObjectNode> match,
            com.fasterxml.jackson.databind.ObjectMapper mapper) {
        int deleted = 0;
        long after = afterSeq;
        while (true) {
            List<StoredEvent> page = h.createQuery("SELECT seq, source_id, payload FROM inbox WHERE seq > :after ORDER BY seq LIMIT 2000")
                    .bind("after", after)
                    .map((rs, ctx) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
            if (page.isEmpty()) {
                return deleted;
            }
            for (StoredEvent e : page) {
                try {
                    if (mapper.readTree(e.payload()) instanceof com.fasterxml.jackson.databind.node.ObjectNode event && match.test(event)) {
                        deleted += h.createUpdate("DELETE FROM inbox WHERE seq = :s").bind("s", e.seq()).execute();
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                    throw new IllegalStateException("Inbox event " + e.seq() + " is not JSON", ex);
                }
            }
            after = page.get(page.size() - 1).seq();
        }
    }
}
