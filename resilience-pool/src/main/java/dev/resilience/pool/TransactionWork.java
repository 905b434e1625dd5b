package dev.resilience.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The body of a unit of work run by {@link ResilientDataSource#transaction(TransactionWork)} or
 * {@link ResilientDataSource#readOnly(TransactionWork)}.
 *
 * <p>It may run more than once (each time on a fresh connection, after a rollback) when a transient
 * failure is retried, so it must not have side effects outside the database that cannot be repeated.
 * It must not commit, roll back or close the connection: the pool does that.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TransactionWork<T> {

    /**
     * Runs the work on a connection inside an open transaction.
     *
     * @param connection the connection, valid only until this method returns
     * @return the result handed back to the caller after a successful commit
     * @throws SQLException when a statement fails; the pool rolls back and retries it when transient
     */
    T execute(Connection connection) throws SQLException;
}
