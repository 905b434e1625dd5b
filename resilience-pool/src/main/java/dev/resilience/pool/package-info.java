/**
 * A production PostgreSQL {@link javax.sql.DataSource} on HikariCP: start with
 * {@link dev.resilience.pool.ResilientDataSource#builder()}. Units of work
 * ({@link dev.resilience.pool.ResilientDataSource#transaction(dev.resilience.pool.TransactionWork)}) retry
 * transient failures classified by {@link dev.resilience.pool.TransientFailureClassifier}; the pool's own
 * exceptions ({@link dev.resilience.pool.QueryTimeoutException},
 * {@link dev.resilience.pool.OutcomeUnknownException}, {@link dev.resilience.pool.PoolStartupException})
 * extend {@link dev.resilience.core.ResilienceException}. See the module's README for defaults and metrics.
 */
@NullMarked
package dev.resilience.pool;

import org.jspecify.annotations.NullMarked;
