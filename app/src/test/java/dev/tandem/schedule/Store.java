package dev.tandem.schedule;

import dev.tandem.store.Database;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.StoreKind;
import java.nio.file.Path;

/** Where a test's scheduler keeps its table: a SQLite file in a directory, or a fresh PostgreSQL database; {@link #open} again for a restart. */
record Store(StoreKind kind, Path dir, String url) {
    static Store fresh(StoreKind kind, Path dir) {
        return new Store(kind, dir, kind == StoreKind.POSTGRESQL ? Postgres.freshDatabaseUrl() : null);
    }

    Database open() {
        return kind == StoreKind.SQLITE ? Database.sqlite(dir, "FULL") : Database.postgres(url);
    }
}
