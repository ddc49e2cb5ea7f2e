package dev.tandem.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The stages in data-flow order, as the modules registered them, and where the processor stands.
 * {@link #seal} checks each stage's declared reads against what earlier stages write and works out
 * which personal traits the stages after a profile-loading stage read, so that stage decrypts
 * those and no others. Erasures and replays reach every stage through here, never a list of stages.
 */
public final class Pipeline {
    private final List<Stage> stages = new ArrayList<>();
    private TraitReads traitsReadLater = TraitReads.NONE;
    private boolean sealed;
    private volatile long position;

    public Pipeline add(Stage stage) {
        if (sealed) {
            throw new IllegalStateException(
                    "the pipeline is running; stage " + stage.name() + " must be added before it starts");
        }
        stages.add(stage);
        return this;
    }

    /** Checks the declared reads and fixes the order; no stage may be added after. */
    public Pipeline seal() {
        if (sealed) {
            return this;
        }
        Set<Change> written = EnumSet.noneOf(Change.class);
        List<TraitReads> readers = new ArrayList<>();
        boolean afterProfiles = false;
        for (Stage stage : stages) {
            for (Change read : stage.reads()) {
                if (!written.contains(read)) {
                    throw new IllegalStateException("stage " + stage.name() + " reads " + read
                            + ", which no stage before it writes; stages in order: "
                            + stages.stream().map(Stage::name).toList());
                }
            }
            if (afterProfiles) {
                readers.add(stage.traitReads());
            }
            afterProfiles |= stage.writes().contains(Change.PROFILES);
            written.addAll(stage.writes());
        }
        traitsReadLater = TraitReads.anyOf(readers);
        sealed = true;
        return this;
    }

    /** The stages in order, read-only. */
    public List<Stage> stages() {
        return java.util.Collections.unmodifiableList(stages);
    }

    /** A new batch of these items, with empty changes. */
    public Batch batch(List<BatchItem> items) {
        return new Batch(items, new BatchChanges(), traitsReadLater);
    }

    /** Runs every stage's {@link Stage#prepare} over these items, on the calling thread; only once sealed. */
    public void prepare(List<BatchItem> items) {
        if (!sealed) {
            return;
        }
        for (Stage stage : stages) {
            stage.prepare(items);
        }
    }

    /** The last inbox seq the pipeline applied. */
    public long position() {
        return position;
    }

    public void movedTo(long seq) {
        position = seq;
    }

    /** Deletes what every stage holds about these profiles, inside the caller's transaction (an erasure's). */
    public void erase(Handle transaction, Collection<Long> profiles) {
        for (Stage stage : stages) {
            stage.erase(transaction, profiles);
        }
    }

    public void reset(Handle transaction) {
        for (Stage stage : stages) {
            stage.reset(transaction);
        }
    }

    public void discard() {
        stages.forEach(Stage::discard);
    }
}
