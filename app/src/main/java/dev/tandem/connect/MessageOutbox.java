package dev.tandem.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.govern.Flow;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What another capability (journeys) sends through a destination: a whole message appended to the
 * outbox in the caller's transaction, delivered like every other row (the gate again, retries,
 * dead letters), with the message's {@code messageId} as the receiver's idempotency key. Appends
 * must come from the processor's thread (a pipeline stage or a job of the pipeline lane), so that
 * outbox ids commit in order.
 */
public final class MessageOutbox {
    private final DestinationSet destinations;

    MessageOutbox(DestinationSet destinations) {
        this.destinations = destinations;
    }

    /** The flow the gate decides for a running destination; empty when none has the key. */
    public Optional<Flow> flow(String destination) {
        Destination d = destinations.get(destination);
        return d == null ? Optional.empty() : Optional.of(d.config().flow());
    }

    /** The keys of the destinations running now, in no order. */
    public java.util.Set<String> keys() {
        java.util.Set<String> out = new java.util.HashSet<>();
        destinations.all().forEach(d -> out.add(d.key()));
        return out;
    }

    /** Appends a message for one destination, inside the caller's transaction. */
    public void append(Handle transaction, String destination, long profileId, ObjectNode message, long at) {
        transaction
                .createUpdate("INSERT INTO outbox (profile_id, kind, seq, detail, destinations, received_at) "
                        + "VALUES (:p, :k, 0, :m, :d, :at)")
                .bind("p", profileId)
                .bind("k", OutboxRow.MESSAGE)
                .bind("m", message.toString())
                .bind("d", "," + destination + ",")
                .bind("at", at)
                .execute();
    }

    /** Wakes the delivery threads after a commit that appended. */
    public void written() {
        destinations.all().forEach(d -> d.worker().wake());
    }
}
