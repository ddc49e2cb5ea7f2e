package dev.tandem.error;

/** The request clashes with what exists, such as a second source with the same name. */
public final class Conflict extends TandemException {
    public Conflict(String code, String message, String field) {
        super(code, message, field, null);
    }
}
