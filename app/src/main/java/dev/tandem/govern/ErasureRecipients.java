package dev.tandem.govern;

import dev.tandem.identity.Identifier;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Who else must hear of an erasure: the destinations that received the subject's data queue a
 * deletion for the tool. Implemented further down the flow (connect) and handed to
 * {@link GovernModule}, so governance calls out without importing what comes after it. Called
 * inside the erasure's transaction, before the stages delete what they hold.
 */
@FunctionalInterface
public interface ErasureRecipients {
    ErasureRecipients NONE = (h, profiles, identifiers, requestId, now) -> List.of();

    /** Queues the deletions; returns the keys of the destinations that will be asked to delete. */
    List<String> queueDeletions(
            Handle transaction, Collection<Long> profiles, List<Identifier> identifiers, String requestId, long now);
}
