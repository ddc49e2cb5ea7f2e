package dev.tandem.error;

/** A body of a type the route does not read, such as {@code text/plain} where JSON is required (HTTP 415). */
public final class UnsupportedMediaType extends TandemException {
    public UnsupportedMediaType(String code, String message) {
        super(code, message, null, null);
    }
}
