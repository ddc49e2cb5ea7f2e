package dev.tandem.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server the tests run against, given as TANDEM_TEST_DATABASE_URL ('./tandem test'
 * and CI start one). Each caller gets a fresh database, so tests never see each other's rows.
 */
public final class Postgres {
    private Postgres() {}

    public static String freshDatabaseUrl() {
        String admin = System.getenv("TANDEM_TEST_DATABASE_URL");
        if (admin == null || admin.isBlank()) {
            throw new IllegalStateException("TANDEM_TEST_DATABASE_URL is not set: run the tests with './tandem test', "
                    + "which starts a throwaway PostgreSQL, or point the variable at a server you own.");
        }
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a test database on " + admin + ": " + e.getMessage(), e);
        }
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?', slash);
        return admin.substring(0, slash + 1) + name + (query < 0 ? "" : admin.substring(query));
    }
}
