package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Objects reached from the pool's connections (result sets, metadata) lead back to observed ones only. */
class ObservedObjectsIT {

    private static final String DATABASE = "resilience_pool_observed";
    private static String url;

    @BeforeAll
    static void createDatabase() throws Exception {
        url = TestDatabase.create(DATABASE);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        TestDatabase.drop(DATABASE);
    }

    private static long statements(SimpleMeterRegistry registry) {
        return registry.get("resilience.pool.queries").timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void resultSetStatementAndMetadataConnectionAreTheObservedOnes() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-observed").meterRegistry(registry).build();
             Connection connection = db.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT 1")) {
            // Given one observed statement
            assertThat(statements(registry)).isEqualTo(1);

            // When SQL runs through the result set's statement and the metadata's connection
            assertThat(rs.getStatement()).isSameAs(statement);
            try (ResultSet again = rs.getStatement().executeQuery("SELECT 2")) {
                assertThat(again.getStatement()).isSameAs(statement);
            }
            DatabaseMetaData metaData = connection.getMetaData();
            assertThat(metaData.getConnection()).isSameAs(connection);
            try (Statement viaMetaData = metaData.getConnection().createStatement()) {
                viaMetaData.execute("SELECT 3");
            }
            try (ResultSet tables = metaData.getTables(null, "pg_catalog", "pg_class", null)) {
                Statement owner = tables.getStatement();
                if (owner != null) {
                    assertThat(owner.getConnection()).isSameAs(connection);
                }
            }

            // Then every one of them was observed
            assertThat(statements(registry)).isEqualTo(3);
        }
    }

    @Test
    void unitOfWorkResultSetLeadsBackToTheObservedConnection() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-observed-unit").meterRegistry(registry).build()) {
            boolean same = db.transaction(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    return rs.getStatement().getConnection() == c && c.getMetaData().getConnection() == c;
                }
            });

            assertThat(same).isTrue();
        }
    }
}
