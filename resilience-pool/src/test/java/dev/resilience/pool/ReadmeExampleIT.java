package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's sample, kept compiling and working against the real server. */
class ReadmeExampleIT {

    private static final String DATABASE = "resilience_pool_readme_it";

    @BeforeAll
    static void createDatabase() throws SQLException {
        TestDatabase.create(DATABASE);
        TestDatabase.execute(DATABASE, "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric NOT NULL)");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TestDatabase.drop(DATABASE);
    }

    @Test
    void readmeSampleRuns() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        String jdbcUrl = TestDatabase.url(DATABASE);
        String user = TestDatabase.adminUser();
        char[] password = TestDatabase.PASSWORD.toCharArray();

        // --- README sample starts
        try (ResilientDataSource db = ResilientDataSource.builder()
                .url(jdbcUrl)                       // jdbc:postgresql://db:5432/app
                .username(user)
                .password(password)                 // or .password(() -> secrets.read("db-password"))
                .poolName("app")
                .minimumIdle(2).maximumPoolSize(4)  // defaults: 20 steady + 30 burst
                .meterRegistry(registry)
                .build()) {

            BigDecimal total = new BigDecimal("42.50");
            long id = db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (total) VALUES (?) RETURNING id")) {
                    ps.setBigDecimal(1, total);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });

            TransactionOptions report = TransactionOptions.builder()
                    .isolation(Isolation.REPEATABLE_READ).statementTimeout(Duration.ofSeconds(30)).build();
            BigDecimal sum = db.readOnly(report, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT sum(total) FROM orders");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBigDecimal(1);
                }
            });

            HealthCheckResult health = db.asHealthCheck().check();
            // --- README sample ends

            assertThat(id).isPositive();
            assertThat(sum).isEqualByComparingTo(total);
            assertThat(health.status()).isEqualTo(HealthStatus.UP);
        }
    }

    @Test
    void pgBouncerSampleRuns() throws Exception {
        String pgBouncerUrl = TestDatabase.url(DATABASE); // the sample's settings work without PgBouncer too
        String user = TestDatabase.adminUser();
        char[] password = TestDatabase.PASSWORD.toCharArray();

        ResilientDataSource db = ResilientDataSource.builder()
                .url(pgBouncerUrl)                          // jdbc:postgresql://pgbouncer:6432/app
                .username(user)
                .password(password)
                .driverProperty("prepareThreshold", "0")    // no named server-side prepared statements
                .statementTimeoutPerTransaction(true)       // SET LOCAL statement_timeout in every unit of work
                .build();

        try (db) {
            String timeout = db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SHOW statement_timeout"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(timeout).isEqualTo("5s");
        }
    }
}
