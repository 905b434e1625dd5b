package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.Backoff;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Retry;
import dev.resilience.pool.OutcomeUnknownException;
import dev.resilience.pool.QueryTimeoutException;
import dev.resilience.pool.TransactionOptions;
import dev.resilience.pool.TransientFailureClassifier;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransactionRunnerTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<FakeConnection> connections = new ArrayList<>();
    private FakeConnection.Action commit = sql -> { };
    private final List<String> executed = new ArrayList<>();
    private Duration perTransactionTimeout;

    @Test
    void poolStatementTimeoutIsSetInEveryTransactionWhenConnectionsDoNotCarryIt() throws SQLException {
        // Given a pool whose statement timeout is set per transaction (PgBouncer transaction mode)
        perTransactionTimeout = Duration.ofSeconds(5);

        // When units run, one with its own timeout
        runner(4).run(TransactionOptions.defaults(), false, c -> 1);
        runner(4).run(TransactionOptions.builder().statementTimeout(Duration.ofSeconds(30)).build(), false, c -> 1);

        // Then each transaction set it with SET LOCAL, the unit's own winning
        assertThat(executed).containsExactly("SET LOCAL statement_timeout = 5000", "SET LOCAL statement_timeout = 30000");
    }

    @Test
    void transientFailureIsRolledBackAndRunAgainOnAFreshConnection() throws SQLException {
        // Given work that hits a serialization failure on its first attempt
        AtomicInteger attempts = new AtomicInteger();

        // When it runs
        String result = runner(4).run(TransactionOptions.defaults(), false, c -> {
            if (attempts.incrementAndGet() == 1) {
                throw new SQLException("could not serialize access", "40001");
            }
            return "done";
        });

        // Then it ran twice, each time on its own connection, the first rolled back, with a backoff between
        assertThat(result).isEqualTo("done");
        assertThat(connections).hasSize(2);
        assertThat(connections.get(0).calls).contains("rollback").doesNotContain("commit");
        assertThat(connections.get(1).calls).contains("commit").doesNotContain("rollback");
        assertThat(scheduler.sleeps()).hasSize(1);
    }

    @Test
    void nonTransientFailureReachesTheCallerUnchangedAfterOneAttempt() {
        SQLException syntax = new SQLException("syntax error", "42601");

        assertThatThrownBy(() -> runner(4).run(TransactionOptions.defaults(), false, c -> {
            throw syntax;
        })).isSameAs(syntax);
        assertThat(connections).hasSize(1);
    }

    @Test
    void commitFailingInFlightIsOutcomeUnknownAndNotRetried() {
        commit = sql -> {
            throw new SQLException("An I/O error occurred while sending to the backend", "08006");
        };

        assertThatThrownBy(() -> runner(4).run(TransactionOptions.defaults(), false, c -> "work"))
                .isInstanceOf(OutcomeUnknownException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(connections).hasSize(1);
    }

    @Test
    void commitFailingInFlightIsRetriedWhenTheWorkIsIdempotent() throws SQLException {
        AtomicInteger commits = new AtomicInteger();
        commit = sql -> {
            if (commits.incrementAndGet() == 1) {
                throw new SQLException("An I/O error occurred while sending to the backend", "08006");
            }
        };

        String result = runner(4).run(TransactionOptions.builder().idempotent(true).build(), false, c -> "work");

        assertThat(result).isEqualTo("work");
        assertThat(connections).hasSize(2);
    }

    @Test
    void serializationFailureAtCommitIsRetriedAsANormalTransientFailure() throws SQLException {
        AtomicInteger commits = new AtomicInteger();
        commit = sql -> {
            if (commits.incrementAndGet() == 1) {
                throw new SQLException("could not serialize access", "40001");
            }
        };

        String result = runner(4).run(TransactionOptions.defaults(), false, c -> "work");
        assertThat(result).isEqualTo("work");
        assertThat(connections).hasSize(2);
    }

    @Test
    void cancelledStatementSurfacesAsQueryTimeoutExceptionWithoutRetry() {
        assertThatThrownBy(() -> runner(4).run(TransactionOptions.defaults(), false, c -> {
            throw new SQLException("canceling statement due to statement timeout", "57014");
        })).isInstanceOf(QueryTimeoutException.class)
                .satisfies(e -> assertThat(((QueryTimeoutException) e).sqlState()).isEqualTo("57014"));
        assertThat(connections).hasSize(1);
    }

    @Test
    void writeRefusedInAReadOnlyUnitIsTheWorksOwnErrorAndNotRetried() {
        SQLException refused = new SQLException("cannot execute INSERT in a read-only transaction", "25006");

        assertThatThrownBy(() -> runner(4).run(TransactionOptions.defaults(), true, c -> {
            throw refused;
        })).isSameAs(refused);
        assertThat(connections).hasSize(1);
    }

    @Test
    void readOnlyTransactionOnAReadWriteConnectionIsRetriedAsAFailover() throws SQLException {
        AtomicInteger attempts = new AtomicInteger();

        String result = runner(4).run(TransactionOptions.defaults(), false, c -> {
            if (attempts.incrementAndGet() == 1) {
                throw new SQLException("cannot execute INSERT in a read-only transaction", "25006");
            }
            return "written";
        });

        assertThat(result).isEqualTo("written");
        assertThat(connections).hasSize(2);
    }

    @Test
    void perCallMaxAttemptsBoundsTheRetries() {
        assertThatThrownBy(() -> runner(4).run(TransactionOptions.builder().maxAttempts(2).build(), false, c -> {
            throw new SQLException("deadlock detected", "40P01");
        })).isInstanceOf(SQLException.class);
        assertThat(connections).hasSize(2);
    }

    @Test
    void perCallStatementTimeoutIsSetLocallyBeforeTheWork() throws SQLException {
        runner(4).run(TransactionOptions.builder().statementTimeout(Duration.ofMillis(1500)).build(), true, c -> {
            try (Statement statement = c.createStatement()) {
                return statement.execute("SELECT 1");
            }
        });

        assertThat(connections.get(0).calls).containsSubsequence("setAutoCommit", "setReadOnly",
                "execute SET LOCAL statement_timeout = 1500", "execute SELECT 1", "commit");
    }

    private TransactionRunner runner(int maxAttempts) {
        QueryObserver observer = new QueryObserver("unit", clock, Duration.ofSeconds(1), false, PoolMetrics.NONE, null, OutageDetectorTest.healthy(clock));
        return new TransactionRunner("unit", new InFlightGate(), CircuitBreaker.builder("unit-acquisition").build(), () -> {
            FakeConnection fake = new FakeConnection().onCommit(sql -> commit.run(sql)).onExecute(executed::add);
            connections.add(fake);
            return fake.connection();
        }, List.of(), observer, TransientFailureClassifier.postgres(), PoolMetrics.NONE, maxAttempts,
                perTransactionTimeout, attempts -> Retry.builder("unit").maxAttempts(attempts)
                        .backoff(Backoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofSeconds(1)))
                        .clock(clock).sleeper(scheduler));
    }
}
