package dev.tandem.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the whole log in id order and recomputes every hash: the first entry whose id is not the next
 * one (a removal) or whose hash does not follow from the one before and its own content (an edit, or
 * a swap) is named. Then every stored checkpoint, and one given by the caller (an exported copy), must
 * have the hash the chain has at its size: that catches a chain rewritten as a whole, hashes and all,
 * and entries removed from the end.
 */
final class AuditVerifier {
    private static final int FETCH = 5_000;

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Checkpoints checkpoints;

    AuditVerifier(Jdbi jdbi, ObjectMapper mapper, Checkpoints checkpoints) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.checkpoints = checkpoints;
    }

    /** Verifies the log against its stored checkpoints and, when not null, {@code exported}. */
    Verdict verify(Checkpoint exported) {
        List<Checkpoint> stored = checkpoints.all();
        String publicKey = checkpoints.publicKey();
        for (Checkpoint c : stored) {
            if (!c.signatureValid() || !c.publicKey().equals(publicKey)) {
                return Verdict.bad(
                        0,
                        null,
                        "the checkpoint of " + c.size()
                                + " entries does not carry a valid signature of this server's audit key",
                        stored.size());
            }
        }
        TreeMap<Long, Checkpoint> due = stored.stream()
                .collect(Collectors.toMap(Checkpoint::size, Function.identity(), (a, b) -> a, TreeMap::new));
        if (exported != null) {
            due.put(exported.size(), exported);
        }
        int count = due.size();
        return jdbi.inTransaction(
                h -> h.createQuery("SELECT id, at, actor, kind, object, detail, hash FROM audit_log ORDER BY id")
                        .setFetchSize(FETCH)
                        .map(AuditLog::entry)
                        .withIterator(entries -> walk(entries, due, count)));
    }

    private Verdict walk(Iterator<AuditEntry> entries, TreeMap<Long, Checkpoint> due, int count) {
        ChainHash chain = new ChainHash();
        String previous = ChainHash.GENESIS;
        long expected = 1;
        long lastMatched = 0;
        while (entries.hasNext()) {
            AuditEntry e = entries.next();
            if (e.id() != expected) {
                return Verdict.bad(
                        expected - 1,
                        expected,
                        e.id() > expected
                                ? "entry " + expected + " is missing: the log goes from " + (expected - 1) + " to "
                                        + e.id()
                                : "entry " + e.id() + " appears again after " + (expected - 1),
                        count);
            }
            String hash = chain.of(previous, e);
            if (!hash.equals(e.hash())) {
                return Verdict.bad(
                        expected - 1,
                        e.id(),
                        "entry " + e.id()
                                + " does not match its hash: it was edited, or moved from another place in the log",
                        count);
            }
            Checkpoint c = due.get(e.id());
            if (c != null) {
                if (!c.root().equals(hash)) {
                    return Verdict.bad(
                            expected - 1,
                            lastMatched + 1,
                            "the log up to entry " + e.id() + " is not the one the checkpoint signed at "
                                    + java.time.Instant.ofEpochMilli(c.at()) + " covers: entries "
                                    + (lastMatched + 1) + " to " + e.id() + " were rewritten",
                            count);
                }
                lastMatched = e.id();
            }
            previous = hash;
            expected++;
        }
        long size = expected - 1;
        Map.Entry<Long, Checkpoint> beyond = due.higherEntry(size);
        if (beyond != null) {
            return Verdict.bad(
                    size,
                    size + 1,
                    (beyond.getKey() == size + 1
                                    ? "entry " + (size + 1) + " is missing"
                                    : "entries " + (size + 1) + " to " + beyond.getKey() + " are missing")
                            + " from the end: a checkpoint signed at "
                            + java.time.Instant.ofEpochMilli(beyond.getValue().at()) + " covers "
                            + beyond.getKey() + " entries",
                    count);
        }
        return Verdict.ok(size, count);
    }
}
