package dev.tandem.identity;

import java.time.Duration;

/**
 * At most {@code max} values of one identifier type on one profile; with a window, only values
 * first seen within that window before the event count, so the limit caps how fast new values
 * are added rather than how many there are ever.
 */
record Limit(int max, Duration window) {
    static Limit ever(int max) {
        return new Limit(max, null);
    }

    boolean counts(long firstSeen, long eventTime) {
        return window == null || firstSeen >= eventTime - window.toMillis();
    }
}
