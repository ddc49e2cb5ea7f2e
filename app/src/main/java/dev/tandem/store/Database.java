package dev.tandem.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A migrated database with a connection pool and a {@link Jdbi} on top, and the store of the
 * inbox ({@link #inbox()}): on SQLite a second file, {@code inbox.db}, with its own write lock,
 * so that appending accepted events never waits for the processor's transactions; on
 * PostgreSQL, whose writers lock rows rather than the database, the same database.
 *
 * <p>SQLite runs in WAL mode so that readers never block the single writer. {@code synchronous}
 * defaults to FULL: a commit is fsynced before it returns, so an acknowledged event survives a
 * power cut as well as {@code kill -9}; group commit amortises the fsync.
 */
public final class Database implements AutoCloseable {
    private final Dialect dialect;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final Path file;
    private final String synchronous;
    private final Database inbox;

    private Database(Dialect dialect, HikariDataSource pool, Path file, String synchronous, Database inbox) {
        this.dialect = dialect;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        this.file = file;
        this.synchronous = synchronous;
        this.inbox = inbox == null ? this : inbox;
    }

    /**
     * Opens (creating if needed) {@code tandem.db} and {@code inbox.db} in {@code dataDir}. A data
     * directory from before the inbox had its own file has its inbox and quarantine moved over once.
     */
    public static Database sqlite(Path dataDir, String synchronous) {
        Database inbox = sqliteFile(dataDir, "inbox.db", synchronous, "classpath:db/sqlite-inbox", null);
        try {
            Database main = sqliteFile(dataDir, "tandem.db", synchronous, Dialect.SQLITE.migrations(), inbox);
            try {
                InboxFile.moveOut(main, inbox);
            } catch (RuntimeException e) {
                main.close();
                throw e;
            }
            return main;
        } catch (RuntimeException e) {
            inbox.close();
            throw e;
        }
    }

    private static Database sqliteFile(
            Path dataDir, String name, String synchronous, String migrations, Database inbox) {
        Path file = dataDir.resolve(name).toAbsolutePath();
        try {
            // Why first: SQLite creates the file 644 and its -wal and -shm with the file's mode
            PrivateFiles.directory(dataDir);
            if (!PrivateFiles.file(file)) {
                PrivateFiles.warnIfOpen(file.resolveSibling(name + "-wal"));
                PrivateFiles.warnIfOpen(file.resolveSibling(name + "-shm"));
            }
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // Why: the default page cache is 2 MB a connection; profiles and identity links are read and
        // updated at random keys, and with a store of millions of rows most pages then come through
        // read() calls. 64 MB a connection, plus the file memory-mapped for reads, keeps the hot
        // B-tree pages at hand (mmap does not change durability: writes still go through the WAL).
        config.setCacheSize(-65_536);
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(4L << 30));
        // Why: by default the connection whose commit passes 1,000 WAL pages copies the WAL into the
        // database file, which after a processor batch meant every batch and sometimes an inbox
        // request. Automatic checkpoints now start only past 64k pages (256 MB), as a backstop;
        // the processor checkpoints in the background (see checkpoint()), where pages written by
        // several batches are copied once.
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "65536");
        // Why: deleted and overwritten rows otherwise stay in free pages of the file; an erased
        // customer's email must not be readable from it. Zeroing costs writes of freed space only.
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(source);
        hikari.setPoolName("tandem-sqlite-" + name.substring(0, name.indexOf('.')));
        // In inbox.db one connection is held by the inbox writer; the rest serve reads concurrently (WAL).
        hikari.setMaximumPoolSize(6);
        return migrated(Dialect.SQLITE, new HikariDataSource(hikari), migrations, file, synchronous, inbox);
    }

    /** Connects to PostgreSQL; {@code url} is a JDBC URL, credentials may be in it. */
    public static Database postgres(String url) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        // Not reWriteBatchedInserts: it makes a batch one multi-row INSERT, and an upsert batch with two
        // rows of one key then fails ("ON CONFLICT DO UPDATE command cannot affect row a second time")
        // where the statements one by one apply both (docs/benchmarks.md, PostgreSQL).
        hikari.setPoolName("tandem-postgres");
        hikari.setMaximumPoolSize(8);
        hikari.setInitializationFailTimeout(10_000);
        return migrated(
                Dialect.POSTGRESQL, new HikariDataSource(hikari), Dialect.POSTGRESQL.migrations(), null, null, null);
    }

    private static Database migrated(
            Dialect dialect, HikariDataSource pool, String migrations, Path file, String synchronous, Database inbox) {
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(migrations)
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(dialect, pool, file, synchronous, inbox);
    }

    /**
     * Where the inbox and the quarantine live: {@code inbox.db} on SQLite, this database on
     * PostgreSQL. Only the inbox writer writes there, besides erasures and quarantine replays.
     */
    public Database inbox() {
        return inbox;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Runs one transaction that writes only data derived from the inbox (identities, profiles and
     * the processor's cursor, together). On SQLite its commit is not fsynced (synchronous=NORMAL for
     * this transaction only): a process crash loses nothing, and a power cut can at worst undo the
     * last few such transactions, cursor included, so the processor applies those events again.
     * Why: the fsync was half of the processor's time. The inbox keeps its own setting, and its next
     * commit syncs the whole WAL, these frames included.
     */
    public void inDerivedTransaction(org.jdbi.v3.core.HandleConsumer<RuntimeException> work) {
        jdbi.useHandle(h -> {
            if (dialect == Dialect.SQLITE) {
                h.execute("PRAGMA synchronous = NORMAL");
            }
            try {
                h.useTransaction(work);
            } finally {
                if (dialect == Dialect.SQLITE) {
                    h.execute("PRAGMA synchronous = " + synchronous);
                }
            }
        });
    }

    /**
     * One transaction that reads and writes both the inbox's tables and this database's, for work
     * that moves rows between them (retention): on SQLite {@code inbox.db} is attached to the
     * connection for the transaction, so unqualified names reach the inbox's tables; on PostgreSQL
     * it is an ordinary transaction. SQLite in WAL mode commits each file atomically but not both
     * together: the caller must keep the inbox's side complete on its own (its rows and its records
     * in one file) and the other side harmless when left behind.
     */
    public <T> T inTransactionWithInbox(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        if (inbox == this) {
            return jdbi.inTransaction(work);
        }
        return jdbi.withHandle(h -> {
            h.execute("ATTACH DATABASE ? AS inbox_file", inbox.file().toString());
            try {
                return h.inTransaction(work);
            } finally {
                h.execute("DETACH DATABASE inbox_file");
            }
        });
    }

    /**
     * Copies the WAL into the database file as far as readers allow, for both files (SQLite;
     * nothing on PostgreSQL). A passive checkpoint never waits for the writer, so the inbox's
     * appends go on meanwhile.
     */
    public void checkpoint() {
        if (dialect == Dialect.SQLITE) {
            jdbi.useHandle(h ->
                    h.createQuery("PRAGMA wal_checkpoint(PASSIVE)").mapToMap().list());
            if (inbox != this) {
                inbox.checkpoint();
            }
        }
    }

    /**
     * After an erasure: copies the WAL into the file and truncates it, so that older page images
     * holding the erased values leave the WAL too (SQLite; PostgreSQL reclaims dead rows with
     * VACUUM, which it runs on its own schedule). Retries while readers hold old pages; false when
     * they still did.
     */
    public boolean scrubLog() {
        if (dialect != Dialect.SQLITE) {
            return true;
        }
        boolean inboxScrubbed = inbox == this || inbox.scrubLog();
        return scrubOwnLog() && inboxScrubbed;
    }

    private boolean scrubOwnLog() {
        for (int attempt = 0; attempt < 50; attempt++) {
            Integer busy = jdbi.withHandle(h -> h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)")
                    .map((rs, ctx) -> rs.getInt(1))
                    .one());
            if (busy == 0) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The SQLite file, or null on PostgreSQL. */
    public Path file() {
        return file;
    }

    /**
     * A checked, live connection for a long-lived single writer; the caller closes it. After the
     * database dropped connections (a restart, a failover) the pool may still hold dead ones, so
     * each is tested and dead ones are evicted until a live one comes.
     */
    public Connection writerConnection() throws SQLException {
        for (int attempt = 0; attempt <= pool.getMaximumPoolSize(); attempt++) {
            Connection connection = pool.getConnection();
            if (connection.isValid(2)) {
                connection.setAutoCommit(false);
                return connection;
            }
            pool.evictConnection(connection);
        }
        throw new SQLException("No live database connection after evicting every pooled one; is the database up?");
    }

    /** True when the database answers a trivial query. */
    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
        if (inbox != this) {
            inbox.close();
        }
    }
}
