package dev.tandem.error;

/**
 * Root of Tandem's own failures. {@code code} is a stable machine-readable name, the message
 * says what failed and what to do next, and {@code field} names the input at fault, if any.
 */
public abstract sealed class TandemException extends RuntimeException
        permits BadRequest,
                Unauthorized,
                Forbidden,
                NotFound,
                Conflict,
                RequestTimeout,
                UnsupportedMediaType,
                Unavailable {

    private final String code;
    private final String field;

    protected TandemException(String code, String message, String field, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    /** The JSON path or parameter at fault, or null when the request as a whole is. */
    public String field() {
        return field;
    }
}
