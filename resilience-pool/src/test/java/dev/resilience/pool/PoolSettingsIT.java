package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HikariCP settings users reach for, through the builder or its escape hatch, reach the connections. */
class PoolSettingsIT {

    private static final String DATABASE = "resilience_pool_settings";
    private static String url;

    @BeforeAll
    static void createDatabase() throws Exception {
        url = TestDatabase.create(DATABASE);
        TestDatabase.execute(DATABASE, "CREATE SCHEMA billing");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        TestDatabase.drop(DATABASE);
    }

    @Test
    void schemaIsolationMbeansSuspensionAndTheEscapeHatchReachThePool() throws Exception {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-settings")
                .schema("billing")
                .defaultIsolation(Isolation.SERIALIZABLE)
                .registerMbeans(true)
                .allowPoolSuspension(true)
                .hikariConfig(config -> config.setMaxLifetime(Duration.ofMinutes(7).toMillis()))
                .build()) {
            String searchPath = db.transaction(c -> show(c, "SHOW search_path"));
            String isolation = db.transaction(c -> show(c, "SHOW transaction_isolation"));
            assertThat(searchPath).isEqualTo("billing");
            assertThat(isolation).isEqualTo("serializable");
            assertThat(ManagementFactory.getPlatformMBeanServer()
                    .isRegistered(new ObjectName("com.zaxxer.hikari:type=Pool (it-settings)"))).isTrue();
            HikariDataSource hikari = db.unwrap(HikariDataSource.class);
            assertThat(hikari.getMaxLifetime()).isEqualTo(Duration.ofMinutes(7).toMillis());
            hikari.getHikariPoolMXBean().suspendPool(); // throws unless suspension is allowed
            hikari.getHikariPoolMXBean().resumePool();
        }
    }

    @Test
    void statementTimeoutPerTransactionIsSetInEachUnitForPgBouncerTransactionMode() throws Exception {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-per-transaction")
                .statementTimeout(Duration.ofSeconds(5)).statementTimeoutPerTransaction(true).build()) {
            String inUnit = db.transaction(c -> show(c, "SHOW statement_timeout"));
            assertThat(inUnit).isEqualTo("5s");
            try (Connection c = db.getConnection()) {
                assertThat(show(c, "SHOW statement_timeout")).as("not set on the session").isEqualTo("0");
            }
        }
    }

    private static String show(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
