package dev.tandem.collect;

/**
 * Size limits of the tracking API, as Segment documents them for its HTTP API.
 *
 * @param maxEventBytes  one event, as sent, uncompressed (default 32 KB)
 * @param maxBatchBytes  one batch request, uncompressed (default 500 KB)
 * @param maxBatchEvents events in one batch (default 2,500)
 */
record Limits(int maxEventBytes, int maxBatchBytes, int maxBatchEvents) {
    public static final Limits SEGMENT = new Limits(32 * 1024, 500 * 1024, 2_500);
}
