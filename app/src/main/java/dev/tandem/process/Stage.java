package dev.tandem.process;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * One step of the pipeline. For each batch the processor calls {@link #process} on every stage
 * in order (reads and in-memory work, no writes), then {@link #write} on every stage inside one
 * transaction with the cursor, then {@link #committed}. When anything fails it calls
 * {@link #discard} on all stages, which must forget what they did not commit, and retries.
 */
public interface Stage {
    /** A short name for logs and metrics, such as {@code resolve}. */
    String name();

    void process(List<BatchItem> batch);

    void write(Handle transaction);

    void committed();

    void discard();

    /**
     * Does one bounded slice of background work, such as recomputing a new audience over stored
     * profiles, in its own transaction; true when there was work. The processor calls it between
     * batches on its own thread, so background work never races the batches.
     */
    default boolean background() {
        return false;
    }

    /** Deletes everything this stage derived from events, for a replay from the start. */
    void reset(Handle transaction);

    /**
     * Deletes what this stage holds about these profiles (a profile and every profile merged into
     * it), for an erasure, and forgets any cached copy. Called on the processor thread between
     * batches, inside the erasure's transaction.
     */
    void erase(Handle transaction, java.util.Collection<Long> profiles);
}
