package dev.tandem.error;

/** The caller sent something Tandem cannot accept; sending it again unchanged will fail again. */
public final class BadRequest extends TandemException {
    public BadRequest(String code, String message, String field) {
        super(code, message, field, null);
    }

    public BadRequest(String code, String message) {
        this(code, message, null);
    }
}
