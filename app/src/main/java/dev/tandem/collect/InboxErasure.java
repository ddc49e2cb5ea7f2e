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
}
