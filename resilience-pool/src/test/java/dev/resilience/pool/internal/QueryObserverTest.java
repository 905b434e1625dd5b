package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueryObserverTest {

    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PoolMetrics metrics = MicrometerPoolMetrics.of(registry, "unit");

    @Test
    void statementAtTheThresholdIsCountedAsSlow() throws SQLException {
        // Given statements that take 1 s on a pool whose threshold is 1 s
        FakeConnection fake = new FakeConnection().onExecute(sql -> clock.advance(Duration.ofSeconds(1)));
        Connection connection = observer(false).wrap(fake.connection(), false);

        // When one runs
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }

        // Then it is timed and counted as slow
        assertThat(registry.get("resilience.pool.slow.queries").counter().count()).isEqualTo(1);
        assertThat(registry.get("resilience.pool.queries").tag("outcome", "success").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(1000);
    }

    @Test
    void fastStatementIsTimedButNotCountedAsSlow() throws SQLException {
        FakeConnection fake = new FakeConnection().onExecute(sql -> clock.advance(Duration.ofMillis(999)));
        Connection connection = observer(false).wrap(fake.connection(), false);

        try (PreparedStatement statement = connection.prepareStatement("SELECT ?")) {
            statement.setInt(1, 7);
            statement.executeQuery();
        }

        assertThat(registry.get("resilience.pool.slow.queries").counter().count()).isZero();
        assertThat(registry.get("resilience.pool.queries").tag("outcome", "success").timer().count()).isEqualTo(1);
    }

    @Test
    void cancelledStatementIsTimedWithTheTimeoutOutcomeAndItsExceptionPassesUnchanged() {
        SQLException cancelled = new SQLException("canceling statement due to statement timeout", "57014");
        FakeConnection fake = new FakeConnection().onExecute(sql -> {
            throw cancelled;
        });
        Connection connection = observer(false).wrap(fake.connection(), false);

        assertThatThrownBy(() -> connection.createStatement().executeQuery("SELECT pg_sleep(10)")).isSameAs(cancelled);
        assertThat(registry.get("resilience.pool.queries").tag("outcome", "timeout").timer().count()).isEqualTo(1);
    }

    @Test
    void statementsReturnTheWrappingConnection() throws SQLException {
        Connection connection = observer(false).wrap(new FakeConnection().connection(), false);

        assertThat(connection.createStatement().getConnection()).isSameAs(connection);
    }

    @Test
    void preparedStatementsReturnTheWrappingConnection() throws SQLException {
        Connection connection = observer(false).wrap(new FakeConnection().connection(), false);

        assertThat(connection.prepareStatement("SELECT ?").getConnection()).isSameAs(connection);
    }

    @Test
    void unwrapReachesThePooledConnection() throws SQLException {
        // Given a wrapped connection
        Connection pooled = new FakeConnection().connection();
        Connection connection = observer(false).wrap(pooled, false);

        // When it is unwrapped, Then the pooled connection answers
        assertThat(connection.isWrapperFor(Connection.class)).isTrue();
        assertThat(connection.unwrap(Connection.class)).isSameAs(pooled);
    }

    @Test
    void failedStatementIsTimedWithTheErrorOutcome() {
        SQLException failure = new SQLException("relation does not exist", "42P01");
        FakeConnection fake = new FakeConnection().onExecute(sql -> {
            throw failure;
        });
        Connection connection = observer(false).wrap(fake.connection(), false);

        assertThatThrownBy(() -> connection.prepareStatement("SELECT * FROM missing").executeQuery()).isSameAs(failure);
        assertThat(registry.get("resilience.pool.queries").tag("outcome", "error").timer().count()).isEqualTo(1);
    }

    private QueryObserver observer(boolean logParameters) {
        return new QueryObserver("unit", clock, Duration.ofSeconds(1), logParameters, metrics, null, OutageDetectorTest.healthy(clock));
    }
}
