package dev.tandem.pipeline;

import java.util.Collection;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * One step of the pipeline. For each batch the processor calls {@link #process} on every stage
 * in order (reads and in-memory work, no writes), then {@link #write} on every stage inside one
 * transaction with the cursor, then {@link #committed}. When anything fails it calls
 * {@link #discard} on all stages, which must forget what they did not commit, and retries.
 *
 * <p>A stage reads the batch and the {@link BatchChanges} earlier stages recorded, adds its own,
 * and holds no reference to any other stage. It declares what it {@link #reads} and
 * {@link #writes}; {@link Pipeline} checks that every kind read is written by an earlier stage.
 */
public interface Stage {
    /** A short name for logs and metrics, such as {@code resolve}. */
    String name();

    /** The kinds of change this stage reads from the batch. */
    Set<Change> reads();

    /** The kinds of change this stage records. */
    Set<Change> writes();

    /** Which personal traits this stage reads off the profiles of the batch; none unless it says so. */
    default TraitReads traitReads() {
        return TraitReads.NONE;
    }

    /**
     * Works out what it can from each event alone, before its batch is processed, and keeps it on
     * the item under a {@link Prepared} key of its own. The processor runs this on a thread of its
     * own for the next page while the current batch is processed and written, so it may read only
     * what no batch changes (its rules, the tokenizer), never the store or the stage's caches, and
     * it must not throw. A batch is not always prepared: {@link #process} does the same work itself
     * for an item without it.
     */
    default void prepare(java.util.List<BatchItem> items) {}

    void process(Batch batch);

    void write(Handle transaction);

    void committed();

    void discard();

    /** Deletes everything this stage derived from events, for a replay from the start. */
    void reset(Handle transaction);

    /**
     * Deletes what this stage holds about these profiles (a profile and every profile merged into
     * it), for an erasure, and forgets any cached copy. Called on the processor thread between
     * batches, inside the erasure's transaction.
     */
    void erase(Handle transaction, Collection<Long> profiles);
}
