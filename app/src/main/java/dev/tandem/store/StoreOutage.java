package dev.tandem.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Tells a failure of the store itself (connection lost, disk full or read-only, database locked or
 * out of memory) from a failure caused by the data being written. The first is worth waiting out and
 * retrying as it is; the second will fail again the same way, so whoever wrote it moves on.
 */
public final class StoreOutage {
    /** PostgreSQL SQLSTATE classes that say the server or connection failed, not the statement's data. */
    private static final Set<String> POSTGRES_CLASSES = Set.of("08", "40", "53", "54", "55", "57", "58", "XX");

    private static final Set<SQLiteErrorCode> SQLITE_CODES = Set.of(
            SQLiteErrorCode.SQLITE_BUSY,
            SQLiteErrorCode.SQLITE_LOCKED,
            SQLiteErrorCode.SQLITE_NOMEM,
            SQLiteErrorCode.SQLITE_READONLY,
            SQLiteErrorCode.SQLITE_IOERR,
            SQLiteErrorCode.SQLITE_CORRUPT,
            SQLiteErrorCode.SQLITE_FULL,
            SQLiteErrorCode.SQLITE_CANTOPEN,
            SQLiteErrorCode.SQLITE_PROTOCOL,
            SQLiteErrorCode.SQLITE_NOTADB,
            SQLiteErrorCode.SQLITE_INTERRUPT,
            SQLiteErrorCode.SQLITE_ABORT);

    private StoreOutage() {}

    /** True when {@code failure}, or anything that caused it, is the store failing rather than the data. */
    public static boolean causes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                // Extended codes (SQLITE_IOERR_FSYNC, SQLITE_BUSY_SNAPSHOT) share the primary code's low byte.
                int primary = sqlite.getResultCode().code & 0xff;
                if (SQLITE_CODES.stream().anyMatch(c -> c.code == primary)) {
                    return true;
                }
            } else if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            } else if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2
                    && POSTGRES_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            } else if (t instanceof SQLException sql
                    && sql.getSQLState() == null
                    && sql.getCause() instanceof java.io.IOException) {
                return true;
            } else if (t instanceof java.io.IOException
                    && !(t instanceof com.fasterxml.jackson.core.JacksonException)) {
                return true; // a file of the store (the key store's, the WAL) could not be read or written
            }
        }
        return false;
    }
}
