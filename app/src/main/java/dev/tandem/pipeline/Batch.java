package dev.tandem.pipeline;

import java.util.List;

/**
 * One batch on its way through the stages: the events in inbox order, the changes the stages
 * recorded so far, and which personal traits the stages after a profile-loading stage read.
 */
public record Batch(List<BatchItem> items, BatchChanges changes, TraitReads traitsReadLater) {
    public boolean isEmpty() {
        return items.isEmpty();
    }
}
