package dev.tandem.error;

/** The client did not send its request in the time allowed; it may send it again, faster (408). */
public final class RequestTimeout extends TandemException {
    public RequestTimeout(String code, String message) {
        super(code, message, null, null);
    }
}
