package dev.resilience.pool;

import dev.resilience.testkit.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates and drops the integration tests' own databases and roles (all named {@code resilience_pool_*})
 * on the shared test server, through a plain driver connection as the admin user, so nothing the
 * tests set up goes through the pool under test.
 */
final class TestDatabase {

    /** The password every test pool is given; it must never show up in a log line or message. */
    static final String PASSWORD = "Pa55-resilience-pool-never-logged";

    private TestDatabase() {
    }

    /** Drops (if left over) and creates {@code name}; returns its JDBC URL without credentials. */
    static String create(String name) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin("CREATE DATABASE " + name);
        return url(name);
    }

    /** Drops {@code name}, disconnecting whoever is still connected. */
    static void drop(String name) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The JDBC URL of {@code database} on the test server, user and password left to the pool. */
    static String url(String database) {
        String url = TestServices.postgresUrl(database);
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** The admin user of the test server. */
    static String adminUser() {
        String url = TestServices.postgresUrl("postgres");
        int at = url.indexOf("user=");
        if (at < 0) {
            return "postgres";
        }
        int end = url.indexOf('&', at);
        return url.substring(at + 5, end < 0 ? url.length() : end);
    }

    /** Runs one statement as admin on the {@code postgres} database. */
    static void admin(String sql) throws SQLException {
        execute("postgres", sql);
    }

    /** Runs one statement as admin on {@code database}. */
    static void execute(String database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(TestServices.postgresUrl(database));
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A builder for a small pool on {@code url} as the admin user, sized for a shared server. */
    static ResilientDataSource.Builder smallPool(String url, String name) {
        return ResilientDataSource.builder()
                .url(url)
                .username(adminUser())
                .password(PASSWORD.toCharArray())
                .poolName(name)
                .minimumIdle(1)
                .maximumPoolSize(4)
                .connectionTimeout(java.time.Duration.ofSeconds(10)) // generous: the shared server is slow under load
                .leakDetectionThreshold(java.time.Duration.ZERO)
                .shutdownTimeout(java.time.Duration.ofSeconds(2));
    }
}
