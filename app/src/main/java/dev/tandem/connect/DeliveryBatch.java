package dev.tandem.connect;

import java.util.List;

/**
 * Items handed to a connector together, in outbox order (which keeps each profile's order).
 * {@code id} is the batch's delivery id, derived from its items: the same items sent again (a
 * retry, or a resend after a crash) carry the same id, which a webhook sends as
 * {@code webhook-id}, so a receiver can drop duplicates.
 */
public record DeliveryBatch(String id, List<Delivery> items) {
    public DeliveryBatch {
        items = List.copyOf(items);
    }
}
