package dev.tandem.error;

/** Missing or unknown credentials: a write key for tracking calls, a token for the rest. */
public final class Unauthorized extends TandemException {
    public Unauthorized(String code, String message) {
        super(code, message, null, null);
    }
}
