package dev.tandem.schedule;

/**
 * What this scheduler knows of the next wake time of each lane, so that a lane with nothing due
 * costs no query: {@link #idle} holds while the clock is before the next wake time read from the
 * index and that reading is younger than the poll bound (after which jobs other processes
 * scheduled could be due). Jobs scheduled here lower it at once. A reading taken while a schedule
 * lowered it is dropped, so that a stale reading never hides a new job.
 */
final class WakeTimes {
    private final long pollNanos;
    private final long[] next = new long[Lane.values().length];
    private final long[] readAt = new long[Lane.values().length];
    private final boolean[] known = new boolean[Lane.values().length];
    private final long[] stamp = new long[Lane.values().length];

    WakeTimes(long pollNanos) {
        this.pollNanos = pollNanos;
    }

    synchronized boolean idle(Lane lane, long now) {
        int l = lane.ordinal();
        return known[l] && now < next[l] && System.nanoTime() - readAt[l] < pollNanos;
    }

    /** The next wake time (epoch milliseconds) as last known; {@link Long#MIN_VALUE} when unknown, so look now. */
    synchronized long next(Lane lane) {
        return known[lane.ordinal()] ? next[lane.ordinal()] : Long.MIN_VALUE;
    }

    synchronized long stamp(Lane lane) {
        return stamp[lane.ordinal()];
    }

    synchronized void lower(Lane lane, long at) {
        int l = lane.ordinal();
        stamp[l]++;
        next[l] = known[l] ? Math.min(next[l], at) : at;
    }

    /** Records a reading of the index begun when the lane's stamp was {@code stampBefore}. */
    synchronized void read(Lane lane, long stampBefore, long at) {
        int l = lane.ordinal();
        if (stamp[l] == stampBefore) {
            next[l] = at;
            readAt[l] = System.nanoTime();
            known[l] = true;
        }
    }
}
