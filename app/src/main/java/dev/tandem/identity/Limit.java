package dev.tandem.identity;

import java.time.Duration;
import java.util.List;

/**
 * At most {@code max} values of one identifier type on one profile; with a window, at most
 * {@code max} values first seen within any span of that length, so the limit caps how fast new
 * values are added rather than how many there are ever. A merge must keep every span within the
 * limit too, including spans in the past that the joined profiles fill together.
 */
record Limit(int max, Duration window) {
    static Limit ever(int max) {
        return new Limit(max, null);
    }

    /** True when values first seen at these times (epoch millis) keep within the limit. */
    boolean allows(List<Long> firstSeen) {
        if (firstSeen.size() <= max) {
            return true;
        }
        if (window == null) {
            return false;
        }
        long[] times = firstSeen.stream().mapToLong(Long::longValue).sorted().toArray();
        long span = window.toMillis();
        for (int from = 0, to = 0; to < times.length; to++) {
            while (times[to] - times[from] >= span) {
                from++;
            }
            if (to - from + 1 > max) {
                return false;
            }
        }
        return true;
    }
}
