package dev.tandem.connect;

import java.util.List;

/**
 * One open destination of a {@link ConnectorType}: hands batches to the tool. Tandem does the
 * queueing, ordering, retries, the policy gate and measurement; a connector only sends what it is
 * given and says, per item, what became of it. Called from the destination's own delivery thread,
 * one batch at a time, so an implementation need not be thread-safe; a slow tool slows only its
 * own destination.
 */
public interface Connector extends AutoCloseable {
    /**
     * Sends {@code batch} and answers one {@link Outcome} per item, in the batch's order. Throwing
     * counts as {@link Outcome.Retry} for every item, with the exception's message as the reason.
     * A message whose {@code type} is {@code delete} asks the tool to delete the data of the
     * subject it names (an erasure); a connector that cannot do that rejects it with the reason.
     */
    List<Outcome> deliver(DeliveryBatch batch) throws Exception;

    /** Releases what {@link ConnectorType#open} took (files, clients); the default holds nothing. */
    @Override
    default void close() throws Exception {}
}
