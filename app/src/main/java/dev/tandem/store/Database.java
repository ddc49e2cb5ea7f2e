package dev.tandem.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A migrated database with a connection pool and a {@link Jdbi} on top.
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

    private Database(Dialect dialect, HikariDataSource pool, Path file) {
        this.dialect = dialect;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        this.file = file;
    }

    /** Opens (creating if needed) {@code tandem.db} in {@code dataDir}. */
    public static Database sqlite(Path dataDir, String synchronous) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Path file = dataDir.resolve("tandem.db").toAbsolutePath();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(source);
        hikari.setPoolName("tandem-sqlite");
        // One connection is held by the inbox writer; the rest serve reads concurrently (WAL).
        hikari.setMaximumPoolSize(6);
        return migrated(Dialect.SQLITE, new HikariDataSource(hikari), file);
    }

    /** Connects to PostgreSQL; {@code url} is a JDBC URL, credentials may be in it. */
    public static Database postgres(String url) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setPoolName("tandem-postgres");
        hikari.setMaximumPoolSize(8);
        hikari.setInitializationFailTimeout(10_000);
        return migrated(Dialect.POSTGRESQL, new HikariDataSource(hikari), null);
    }

    private static Database migrated(Dialect dialect, HikariDataSource pool, Path file) {
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(dialect.migrations())
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(dialect, pool, file);
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
    }
}
