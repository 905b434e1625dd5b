package dev.resilience.queue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.testkit.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A scratch database {@code resilience_queue_<purpose>_<random>} on the test server with a pooled
 * DataSource, for one test class: {@code @RegisterExtension static final QueueDb db = new QueueDb("x");}
 * creates it before the class's {@code @BeforeAll} methods and drops it after all its tests.
 */
public final class QueueDb implements BeforeAllCallback, AfterAllCallback {

    public final String name;
    public HikariDataSource dataSource;

    public QueueDb(String purpose) {
        this.name = "resilience_queue_" + purpose + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        this.dataSource = dataSource(TestServices.postgresUrl(name), 20);
    }

    public static HikariDataSource dataSource(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(10_000);
        config.setPoolName("queue-test");
        return new HikariDataSource(config);
    }

    public long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void execute(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        dataSource.close();
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
