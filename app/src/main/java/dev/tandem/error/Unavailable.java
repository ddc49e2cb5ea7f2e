package dev.tandem.error;

import java.time.Duration;

/**
 * Tandem cannot take the request right now but nothing is wrong with it: the store is behind,
 * the disk is full, or the server is stopping. Clients retry after {@link #retryAfter()}.
 * {@code overloaded} maps to 429 (slow down), otherwise 503 (try again later).
 */
public final class Unavailable extends TandemException {
    private final Duration retryAfter;
    private final boolean overloaded;

    public Unavailable(String code, String message, Duration retryAfter, boolean overloaded, Throwable cause) {
        super(code, message, null, cause);
        this.retryAfter = retryAfter;
        this.overloaded = overloaded;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean overloaded() {
        return overloaded;
    }
}
