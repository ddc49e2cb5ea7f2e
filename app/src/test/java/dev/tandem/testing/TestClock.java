package dev.tandem.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that stands still until a test moves it with {@link #advance}; whoever waits on the time
 * (such as a scheduler's thread) registers {@link #onAdvance} to look again at once, so tests
 * never sleep for the durations they test.
 */
public final class TestClock extends Clock {
    private volatile Instant now;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public TestClock(Instant start) {
        this.now = start;
    }

    /** 2026-01-05T09:00:00Z, a Monday morning. */
    public static TestClock standard() {
        return new TestClock(Instant.parse("2026-01-05T09:00:00Z"));
    }

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("A test clock only moves forward, not by " + by);
        }
        synchronized (this) {
            now = now.plus(by);
        }
        listeners.forEach(Runnable::run);
    }

    /** Called after every advance, such as {@code clock.onAdvance(scheduler::wake)}. */
    public void onAdvance(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public long millis() {
        return now.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("A test clock is UTC; format times in a zone instead.");
    }
}
