package dev.tandem.cli;

/**
 * Why one row of an import cannot become an event: a code such as {@code invalid_timestamp}, a
 * message that names the column and the value, and the column (or field) at fault, or null. Thrown
 * by the mapping and caught per row, so it records no stack trace.
 */
final class RowRefused extends RuntimeException {
    private final String code;
    private final String column;

    RowRefused(String code, String message, String column) {
        super(message, null, false, false);
        this.code = code;
        this.column = column;
    }

    String code() {
        return code;
    }

    String column() {
        return column;
    }
}
