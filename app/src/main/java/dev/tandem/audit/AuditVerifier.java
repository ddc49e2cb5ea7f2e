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
 * and entries removed from the end. Last, entries that no checkpoint covers although they are older
 * than {@link #UNANCHORED_AT_MOST} make the log invalid: checkpoints are signed from the first entry
 * on and every {@link CheckpointJob#EVERY}, so such a tail means that checkpoints were deleted (with a
 * rewrite, perhaps) or that checkpointing stopped.
 */
final class AuditVerifier {
    private static final int FETCH = 5_000;
    /** How long an entry may go without a checkpoint: two of the job's periods, for its run to be late. */
    static final java.time.Duration UNANCHORED_AT_MOST = CheckpointJob.EVERY.multipliedBy(2);

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Checkpoints checkpoints;
    private final java.time.Clock clock;

    AuditVerifier(Jdbi jdbi, ObjectMapper mapper, Checkpoints checkpoints, java.time.Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.checkpoints = checkpoints;
        this.clock = clock;
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
                        stored.size(),
                        0);
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
        // when the first entry after the last matched checkpoint was written
        Long firstUnanchoredAt = null;
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
                        count,
                        lastMatched);
            }
            String hash = chain.of(previous, e);
            if (!hash.equals(e.hash())) {
                return Verdict.bad(
                        expected - 1,
                        e.id(),
                        "entry " + e.id()
                                + " does not match its hash: it was edited, or moved from another place in the log",
                        count,
                        lastMatched);
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
                            count,
                            lastMatched);
                }
                lastMatched = e.id();
                firstUnanchoredAt = null;
            } else if (firstUnanchoredAt == null) {
                firstUnanchoredAt = e.at();
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
                    count,
                    lastMatched);
        }
        if (firstUnanchoredAt != null && clock.millis() - firstUnanchoredAt > UNANCHORED_AT_MOST.toMillis()) {
            return Verdict.bad(
                    size,
                    null,
                    "entries " + (lastMatched + 1) + " to " + size + " are older than "
                            + UNANCHORED_AT_MOST.toMinutes() + " minutes and no signed checkpoint covers them"
                            + (lastMatched == 0 ? " (the log has none)" : "")
                            + ": checkpoints were deleted, or the audit.checkpoint job is failing (GET /v1/admin/jobs)."
                            + " Compare the log with a checkpoint kept outside Tandem (tandem audit verify --checkpoint"
                            + " FILE), then sign one (tandem audit checkpoint)",
                    count,
                    lastMatched);
        }
        return Verdict.ok(size, count, lastMatched);
    }
}
