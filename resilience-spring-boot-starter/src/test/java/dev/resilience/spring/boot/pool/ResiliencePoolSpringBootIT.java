package dev.resilience.spring.boot.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.pool.ResilientDataSource;
import dev.resilience.testkit.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Spring Boot application with the starter and the pool module against the real PostgreSQL: Boot's
 * {@code @Transactional} (DataSourceTransactionManager) and the pool's own {@code transaction(...)} both
 * commit and roll back on the {@link ResilientDataSource} that replaced Boot's DataSource.
 */
@SpringBootTest(classes = ResiliencePoolSpringBootIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"resilience.pool.minimum-idle=1", "resilience.pool.maximum-pool-size=4", "resilience.pool.pool-name=boot-it",
            "resilience.ratelimit.enabled=false", "resilience.backup.enabled=false"})
class ResiliencePoolSpringBootIT {

    private static final String TABLE = "starter_pool_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestServices.postgresUrl("test"));
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Orders orders;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void createTable() {
        jdbc.execute("CREATE TABLE " + TABLE + " (id serial PRIMARY KEY, item text NOT NULL)");
    }

    @AfterEach
    void dropTable() {
        jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
    }

    @Test
    void theApplicationsDataSourceIsTheResilientOneWithItsMetersInTheApplicationsRegistry() {
        assertThat(dataSource).isInstanceOf(ResilientDataSource.class);
        assertThat(((ResilientDataSource) dataSource).name()).isEqualTo("boot-it");

        jdbc.queryForObject("SELECT 1", Integer.class);

        assertThat(meters.get("resilience.pool.queries").tag("pool", "boot-it").timers())
                .as("statements timed in the application's MeterRegistry").isNotEmpty()
                .anySatisfy(timer -> assertThat(timer.count()).isPositive());
    }

    @Test
    void transactionalCommitsBothRowsAtOnceThroughBootsTransactionManager() throws Exception {
        long seenOutsideBeforeCommit = orders.placeTwo("book", "pen");

        assertThat(seenOutsideBeforeCommit).as("another connection sees nothing before the commit").isZero();
        assertThat(jdbc.queryForList("SELECT item FROM " + TABLE + " ORDER BY id", String.class)).containsExactly("book", "pen");
    }

    @Test
    void transactionalRollsBackWhenTheMethodThrows() {
        assertThatThrownBy(() -> orders.placeThenFail("lamp")).isInstanceOf(IllegalStateException.class);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + TABLE, Integer.class)).isZero();
    }

    @Test
    void thePoolsOwnTransactionCommitsAndRollsBack() throws Exception {
        ResilientDataSource pool = (ResilientDataSource) dataSource;
        pool.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (item) VALUES (?)")) {
                ps.setString(1, "chair");
                return ps.executeUpdate();
            }
        });
        assertThatThrownBy(() -> pool.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (item) VALUES (?)")) {
                ps.setString(1, "table");
                ps.executeUpdate();
            }
            throw new IllegalStateException("work failed after its insert");
        })).hasMessage("work failed after its insert");

        assertThat(jdbc.queryForList("SELECT item FROM " + TABLE, String.class)).containsExactly("chair");
    }

    /** A service using Spring's declarative transactions. */
    static class Orders {
        private final JdbcTemplate jdbc;
        private final DataSource dataSource;

        Orders(JdbcTemplate jdbc, DataSource dataSource) {
            this.jdbc = jdbc;
            this.dataSource = dataSource;
        }

        /** Inserts two rows in one transaction; returns how many rows a second connection saw meanwhile. */
        @Transactional
        public long placeTwo(String first, String second) throws java.sql.SQLException {
            jdbc.update("INSERT INTO " + TABLE + " (item) VALUES (?)", first);
            jdbc.update("INSERT INTO " + TABLE + " (item) VALUES (?)", second);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + TABLE, Long.class)).isEqualTo(2);
            try (java.sql.Connection other = dataSource.getConnection();
                 java.sql.Statement statement = other.createStatement();
                 java.sql.ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + TABLE)) {
                rows.next();
                return rows.getLong(1);
            }
        }

        @Transactional
        public void placeThenFail(String item) {
            jdbc.update("INSERT INTO " + TABLE + " (item) VALUES (?)", item);
            throw new IllegalStateException("payment declined");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Orders orders(JdbcTemplate jdbc, DataSource dataSource) {
            return new Orders(jdbc, dataSource);
        }
    }
}
