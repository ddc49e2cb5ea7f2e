package dev.tandem.error;

/** The named thing does not exist. */
public final class NotFound extends TandemException {
    public NotFound(String code, String message) {
        super(code, message, null, null);
    }
}
