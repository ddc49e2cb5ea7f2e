package dev.tandem.schedule;

import dev.tandem.store.Database;
import dev.tandem.store.Dialect;
import org.jdbi.v3.core.HandleCallback;

/**
 * Transactions that record claims and completions, committed without waiting for the disk
 * (SQLite's synchronous=NORMAL for the transaction, PostgreSQL's synchronous_commit off). Why it is
 * safe: a crash of the store can at worst undo the last few of them, and an undone claim or
 * completion only makes its job run again, which a crash mid-run does anyway (jobs run at least
 * once). Scheduling itself commits as durably as the caller's transaction. Why: the wait for the
 * disk was most of the firing time.
 */
final class Bookkeeping {
    private Bookkeeping() {}

    static <R> R inTransaction(Database database, HandleCallback<R, RuntimeException> work) {
        if (database.dialect() == Dialect.SQLITE) {
            Object[] result = new Object[1];
            database.inDerivedTransaction(h -> result[0] = work.withHandle(h));
            @SuppressWarnings("unchecked")
            R r = (R) result[0];
            return r;
        }
        return database.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL synchronous_commit TO OFF");
            return work.withHandle(h);
        });
    }
}
