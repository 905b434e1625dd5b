package dev.resilience.pool.internal;

import dev.resilience.core.Policy;
import dev.resilience.core.ResilienceException;
import dev.resilience.core.Retry;
import dev.resilience.core.RetryEvent;
import dev.resilience.pool.OutcomeUnknownException;
import dev.resilience.pool.QueryTimeoutException;
import dev.resilience.pool.TransactionOptions;
import dev.resilience.pool.TransactionWork;
import dev.resilience.pool.TransientFailureClassifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work: one transaction per attempt on a fresh connection (a replica's for read-only
 * work when one is usable), commit, and on a transient failure roll back and let the core
 * {@link Retry} run the whole transaction again. A commit that fails with a connection error becomes
 * an {@link OutcomeUnknownException}, retried only for idempotent work; a statement cancelled by its
 * timeout becomes a {@link QueryTimeoutException}. A read-only transaction error (25006) in work
 * that runs read-only (a read-only unit, or a connection the work made read-only) is the work's own
 * write, not a failover, and is not retried. Every other exception of the work reaches the
 * caller unchanged.
 *
 * <p>Thread-safe; the success path allocates the attempt and the connection and statement wrappers.
 */
public final class TransactionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);

    private final String poolName;
    private final InFlightGate gate;
    private final Policy acquisition;
    private final Callable<Connection> primary;
    private final List<Replica> replicas;
    private final QueryObserver observer;
    private final PoolMetrics metrics;
    private final int defaultMaxAttempts;
    private final @Nullable Duration defaultStatementTimeout;
    private final TransientFailureClassifier classifier;
    private final Function<Integer, Retry.Builder> retries;
    private final Retry retry;
    private final Retry idempotentRetry;

    /**
     * @param poolName the pool's name, for messages
     * @param gate counts the units in flight; closed when the pool closes
     * @param acquisition the policy (the acquisition breaker) that primary connections are taken under
     * @param primary where primary connections come from
     * @param replicas the replicas, tried in order for read-only work
     * @param observer wraps connections for the slow query log and metrics
     * @param classifier which failures are transient
     * @param metrics where retries and unknown outcomes are counted
     * @param defaultMaxAttempts the pool's attempts per unit
     * @param defaultStatementTimeout set with {@code SET LOCAL} in every unit that sets none of its own, or
     *        null when the connections carry it (PgBouncer transaction mode needs it per transaction)
     * @param retries a retry builder, with backoff, clock and sleeper set, for a given number of attempts
     */
    public TransactionRunner(String poolName, InFlightGate gate, Policy acquisition, Callable<Connection> primary,
                             List<Replica> replicas, QueryObserver observer,
                             TransientFailureClassifier classifier, PoolMetrics metrics, int defaultMaxAttempts,
                             @Nullable Duration defaultStatementTimeout, Function<Integer, Retry.Builder> retries) {
        this.poolName = poolName;
        this.gate = gate;
        this.acquisition = acquisition;
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        this.observer = observer;
        this.metrics = metrics;
        this.defaultMaxAttempts = defaultMaxAttempts;
        this.defaultStatementTimeout = defaultStatementTimeout;
        this.classifier = classifier;
        this.retries = retries;
        this.retry = build(defaultMaxAttempts, false);
        this.idempotentRetry = build(defaultMaxAttempts, true);
    }

    private Retry build(int attempts, boolean idempotent) {
        Predicate<Throwable> transientFailure =
                failure -> failure instanceof SQLException && classifier.isTransient((SQLException) failure);
        Predicate<Throwable> retryable = idempotent
                ? transientFailure.or(failure -> failure instanceof OutcomeUnknownException) : transientFailure;
        return retries.apply(attempts).retryIf(retryable).listener(this::onRetryEvent).build();
    }

    private void onRetryEvent(RetryEvent event) {
        if (event.type() == RetryEvent.Type.RETRY) {
            metrics.retry();
            LOG.debug("Pool {}: retrying a unit of work after attempt {} failed: {}", poolName, event.attempt(),
                    event.cause() == null ? null : event.cause().toString());
        }
    }

    /**
     * Runs {@code work} in a transaction, retrying on transient failures.
     *
     * <p>The call path down to HikariCP is kept short on purpose: HikariCP's leak detection records
     * the borrowing thread's stack trace on every borrow, and its cost grows with the stack's depth.
     *
     * @throws SQLException the work's or the driver's, after the last attempt
     * @throws ResilienceException when the pool is closing
     */
    public <T> T run(TransactionOptions options, boolean readOnly, TransactionWork<T> work) throws SQLException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        if (!gate.enter()) {
            throw new ResilienceException("Pool " + poolName + " is closed");
        }
        try {
            return retryFor(options).call(new Attempt<>(options, readOnly, work));
        } catch (NotRetried e) {
            throw e.failure;
        } catch (SQLException e) {
            if (QueryObserver.QUERY_CANCELED.equals(e.getSQLState())) {
                throw new QueryTimeoutException("Pool " + poolName + ": a statement ran over its timeout and was cancelled ["
                        + e.getSQLState() + "]: " + e.getMessage(), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            // TransactionWork throws only SQLException; anything else checked came through sneakily
            throw new IllegalStateException("unexpected checked exception from a unit of work", e);
        } finally {
            gate.exit();
        }
    }

    private Retry retryFor(TransactionOptions options) {
        int attempts = options.maxAttempts();
        if (attempts == 0 || attempts == defaultMaxAttempts) {
            return options.idempotent() ? idempotentRetry : retry;
        }
        return build(attempts, options.idempotent());
    }

    /** A primary connection, taken under the acquisition policy. */
    public Connection primaryConnection() throws SQLException {
        try {
            return acquisition.call(primary);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected exception acquiring a connection", e);
        }
    }

    /** One attempt at a unit of work: a transaction on a fresh connection. */
    private final class Attempt<T> implements Callable<T> {
        private final TransactionOptions options;
        private final boolean readOnly;
        private final TransactionWork<T> work;

        Attempt(TransactionOptions options, boolean readOnly, TransactionWork<T> work) {
            this.options = options;
            this.readOnly = readOnly;
            this.work = work;
        }

        @Override
        public T call() throws Exception {
            Replica replica = readOnly ? usableReplica() : null;
            Connection connection = null;
            if (replica != null) {
                try {
                    connection = replica.connection();
                } catch (SQLException e) {
                    replica.failed(e);
                    replica = null;
                }
            }
            if (connection == null) {
                // not through primaryConnection(): one frame less under HikariCP's leak-detection stack trace;
                // the borrow throws only SQLException or unchecked exceptions, which run(...) passes on unchanged
                connection = acquisition.call(primary);
            }
            boolean committing = false;
            try {
                connection.setAutoCommit(false);
                if (options.isolation() != null) {
                    connection.setTransactionIsolation(options.isolation().jdbcLevel());
                }
                if (readOnly) {
                    connection.setReadOnly(true);
                }
                Duration timeout = options.statementTimeout() != null ? options.statementTimeout() : defaultStatementTimeout;
                if (timeout != null) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SET LOCAL statement_timeout = " + timeout.toMillis());
                    }
                }
                T result = work.execute(observer.wrap(connection, replica == null));
                committing = true;
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly(connection, e);
                if (ReadOnlyEviction.READ_ONLY_TRANSACTION.equals(e.getSQLState()) && ReadOnlyEviction.readOnlyOnClientSide(connection)) {
                    throw new NotRetried(e);
                }
                if (replica != null && PostgresTransientStates.isConnectionFailure(e)) {
                    replica.failed(e);
                }
                if (committing && PostgresTransientStates.isConnectionFailure(e)) {
                    metrics.outcomeUnknown();
                    throw new OutcomeUnknownException("Pool " + poolName + ": the connection failed while the commit was "
                            + "in flight; the transaction may or may not have been committed [" + e.getSQLState() + "]", e);
                }
                throw e;
            } catch (RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                closeQuietly(connection);
            }
        }
    }

    private @Nullable Replica usableReplica() {
        for (Replica replica : replicas) {
            if (replica.usable()) {
                return replica;
            }
        }
        return null;
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a pooled connection failed", e);
        }
    }

    /** Carries a failure past the retry policy: the work wrote in its own read-only transaction. */
    private static final class NotRetried extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient SQLException failure;

        NotRetried(SQLException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }
}
