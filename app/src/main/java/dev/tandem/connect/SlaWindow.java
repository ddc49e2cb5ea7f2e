package dev.tandem.connect;

import java.time.Duration;

/**
 * A destination's delivery attempts over a sliding window of time, in buckets: per bucket the
 * item attempts, how many were acknowledged, and a histogram of the time from receipt to
 * acknowledgement. The 95th percentile is read from the histogram, as the upper bound of its
 * bin (bins from 1 ms to 8 h, about 40% apart), so it is never reported lower than it was.
 * Written by the destination's delivery thread once per batch, read by the health evaluation.
 */
final class SlaWindow {
    /** Upper bounds of the latency bins, milliseconds; the last is everything above. */
    static final long[] BOUNDS = bounds();

    private final long bucketMillis;
    private final long[] bucketStart;
    private final long[] attempts;
    private final long[] delivered;
    private final long[][] latency;

    SlaWindow(Duration window) {
        this.bucketMillis = Math.max(10_000, window.toMillis() / 360);
        int n = (int) Math.max(1, window.toMillis() / bucketMillis);
        bucketStart = new long[n];
        java.util.Arrays.fill(bucketStart, -1);
        attempts = new long[n];
        delivered = new long[n];
        latency = new long[n][BOUNDS.length];
    }

    private static long[] bounds() {
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (double b = 1; b < 8 * 3_600_000L; b *= 1.4) {
            out.add((long) Math.ceil(b));
        }
        out.add(Long.MAX_VALUE);
        return out.stream().distinct().mapToLong(Long::longValue).toArray();
    }

    /** Records one batch's attempts at {@code now}: {@code latencies} of the acknowledged items, and how many failed. */
    synchronized void record(long now, long[] latencies, int count, int failed) {
        int b = bucket(now);
        attempts[b] += count + failed;
        delivered[b] += count;
        for (int i = 0; i < count; i++) {
            latency[b][bin(latencies[i])]++;
        }
    }

    private int bucket(long now) {
        long start = now - Math.floorMod(now, bucketMillis);
        int b = (int) Math.floorMod(start / bucketMillis, (long) bucketStart.length);
        if (bucketStart[b] != start) {
            bucketStart[b] = start;
            attempts[b] = 0;
            delivered[b] = 0;
            java.util.Arrays.fill(latency[b], 0);
        }
        return b;
    }

    private static int bin(long millis) {
        int i = java.util.Arrays.binarySearch(BOUNDS, Math.max(0, millis));
        return i >= 0 ? i : -i - 1;
    }

    /** The window's totals at {@code now}. */
    record Totals(long attempts, long delivered, long p95Millis) {
        double deliveredRatio() {
            return attempts == 0 ? 1.0 : (double) delivered / attempts;
        }
    }

    synchronized Totals totals(long now) {
        long oldest = now - bucketMillis * bucketStart.length;
        long a = 0;
        long d = 0;
        long[] bins = new long[BOUNDS.length];
        for (int b = 0; b < bucketStart.length; b++) {
            if (bucketStart[b] > oldest && bucketStart[b] <= now) {
                a += attempts[b];
                d += delivered[b];
                for (int i = 0; i < bins.length; i++) {
                    bins[i] += latency[b][i];
                }
            }
        }
        long p95 = 0;
        if (d > 0) {
            long need = (long) Math.ceil(d * 0.95);
            long seen = 0;
            for (int i = 0; i < bins.length; i++) {
                seen += bins[i];
                if (seen >= need) {
                    p95 = BOUNDS[i] == Long.MAX_VALUE ? BOUNDS[i - 1] : BOUNDS[i];
                    break;
                }
            }
        }
        return new Totals(a, d, p95);
    }
}
