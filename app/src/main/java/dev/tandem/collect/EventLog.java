package dev.tandem.collect;

import java.util.List;

/**
 * The events the processor reads, in seq order: the live inbox, and for a replay from the start
 * the archive files too ({@link InboxHistory}).
 */
public interface EventLog {
    /** Events after {@code seq}, oldest first, at most {@code limit}, as stored: sealed values stay sealed until {@link #open}. */
    List<StoredEvent> after(long seq, int limit);

    /** Decrypts a parsed event of {@link #after} in place; values of erased subjects are removed. */
    void open(String payload, com.fasterxml.jackson.databind.JsonNode event);

    /** The newest seq stored, 0 when there is none. */
    long latestSeq();

    /** The stored payloads of the given seqs, in seq order; seqs that do not exist are skipped. */
    List<StoredEvent> at(List<Long> seqs);
}
