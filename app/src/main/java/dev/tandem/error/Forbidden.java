package dev.tandem.error;

/** Known credentials that do not allow this request, such as a token without the needed scope. */
public final class Forbidden extends TandemException {
    public Forbidden(String code, String message) {
        super(code, message, null, null);
    }

    /** @param field the input at fault, such as the condition that reads a field the caller may not */
    public Forbidden(String code, String message, String field) {
        super(code, message, field, null);
    }
}
