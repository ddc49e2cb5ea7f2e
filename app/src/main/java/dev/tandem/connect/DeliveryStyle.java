package dev.tandem.connect;

/** How a connector takes items: one at a time, or batched up to {@code maxBatch} items a call. */
public record DeliveryStyle(boolean batched, int maxBatch) {
    public static final DeliveryStyle PER_EVENT = new DeliveryStyle(false, 1);

    public DeliveryStyle {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
        }
        if (!batched && maxBatch != 1) {
            throw new IllegalArgumentException("a per-event connector takes one item a call");
        }
    }

    /** Per event when {@code maxBatch} is 1, else batched: what a connector's {@code maxBatch} setting asks for. */
    public static DeliveryStyle upTo(int maxBatch) {
        return maxBatch == 1 ? PER_EVENT : batched(maxBatch);
    }

    public static DeliveryStyle batched(int maxBatch) {
        return new DeliveryStyle(true, maxBatch);
    }
}
