package dev.tandem.connect;

/**
 * A circuit breaker per destination, so a dead endpoint is not hammered: after
 * {@link #THRESHOLD} failed sends in a row it opens, and nothing new is sent for a cool-down
 * (10 s doubling to 300 s while probes fail); then one parked batch goes as a probe, and a probe
 * that gets through closes it. New outbox rows wait in the outbox meanwhile, costing nothing.
 * Used by the destination's one delivery thread only.
 */
final class Breaker {
    static final int THRESHOLD = 5;

    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private int failures;
    private long openUntil;
    private long coolDown = Backoff.FIRST_MILLIS;
    private volatile State state = State.CLOSED;

    /** Whether anything may be sent at {@code now}: closed, or open and cooled down (then one probe). */
    boolean allows(long now) {
        if (state == State.OPEN && now >= openUntil) {
            state = State.HALF_OPEN;
        }
        return state != State.OPEN;
    }

    boolean probing() {
        return state == State.HALF_OPEN;
    }

    /** When the cool-down ends, while open. */
    long openUntil() {
        return openUntil;
    }

    void succeeded() {
        failures = 0;
        coolDown = Backoff.FIRST_MILLIS;
        state = State.CLOSED;
    }

    void failed(long now) {
        failures++;
        if (state == State.HALF_OPEN || failures >= THRESHOLD) {
            if (state == State.HALF_OPEN) {
                coolDown = Math.min(Backoff.MAX_MILLIS, coolDown * 2);
            }
            state = State.OPEN;
            openUntil = now + coolDown;
        }
    }

    State state() {
        return state;
    }
}
