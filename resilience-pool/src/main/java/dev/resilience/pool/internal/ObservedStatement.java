package dev.resilience.pool.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Map;

/**
 * A statement whose executions are timed, recorded in the metrics and logged when slow, by the
 * {@link QueryObserver} of its {@link ObservedConnection}. A statement cancelled by its timeout (57014)
 * is recorded as a timeout; a read-only transaction error (25006) on a primary connection is reported
 * to the {@link ReadOnlyEviction}. Not thread-safe, like the statement it wraps.
 */
@SuppressWarnings("deprecation")
class ObservedStatement implements Statement {

    private final Statement delegate;
    final ObservedConnection connection;
    final QueryObserver observer;

    ObservedStatement(Statement delegate, ObservedConnection connection) {
        this.delegate = delegate;
        this.connection = connection;
        this.observer = connection.observer;
    }

    /** The SQL reported for executions that are not given SQL text: a batch of plain statements. */
    String reportedSql() {
        return "<batch>";
    }

    /** The bound parameters, for the slow query log; null when none were recorded. */
    Map<Integer, Object> parameters() {
        return null;
    }

    final void observed(String sql, long startNanos, Throwable failure) {
        PoolMetrics.QueryOutcome outcome = PoolMetrics.QueryOutcome.SUCCESS;
        if (failure != null) {
            outcome = PoolMetrics.QueryOutcome.ERROR;
            if (failure instanceof SQLException e) {
                if (QueryObserver.QUERY_CANCELED.equals(e.getSQLState())) {
                    outcome = PoolMetrics.QueryOutcome.TIMEOUT;
                } else if (connection.eviction != null && ReadOnlyEviction.READ_ONLY_TRANSACTION.equals(e.getSQLState())) {
                    connection.eviction.readOnlyTransactionFailed(connection.delegate);
                } else if (connection.eviction != null && PostgresTransientStates.isConnectionFailure(e)) {
                    observer.primaryConnectionBroke();
                }
            }
        }
        observer.observed(sql, parameters(), startNanos, outcome);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    @Override
    public void addBatch(String a0) throws SQLException {
        delegate.addBatch(a0);
    }

    @Override
    public void cancel() throws SQLException {
        delegate.cancel();
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        delegate.close();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        delegate.closeOnCompletion();
    }

    @Override
    public String enquoteIdentifier(String a0, boolean a1) throws SQLException {
        return delegate.enquoteIdentifier(a0, a1);
    }

    @Override
    public String enquoteLiteral(String a0) throws SQLException {
        return delegate.enquoteLiteral(a0);
    }

    @Override
    public String enquoteNCharLiteral(String a0) throws SQLException {
        return delegate.enquoteNCharLiteral(a0);
    }

    @Override
    public boolean execute(String a0, int[] a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.execute(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public boolean execute(String a0, String[] a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.execute(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public boolean execute(String a0, int a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.execute(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public boolean execute(String a0) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.execute(a0);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeBatch();
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(reportedSql(), start, failure);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeLargeBatch();
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(reportedSql(), start, failure);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, int[] a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, String[] a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, int a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public long executeLargeUpdate(String a0) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeLargeUpdate(a0);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public ResultSet executeQuery(String a0) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeQuery(a0);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public int executeUpdate(String a0, int[] a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public int executeUpdate(String a0, String[] a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public int executeUpdate(String a0, int a1) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public int executeUpdate(String a0) throws SQLException {
        long start = observer.startNanos();
        Throwable failure = null;
        try {
            return delegate.executeUpdate(a0);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            observed(a0, start, failure);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return delegate.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return delegate.getFetchSize();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return delegate.getGeneratedKeys();
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return delegate.getLargeMaxRows();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return delegate.getLargeUpdateCount();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return delegate.getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return delegate.getMaxRows();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return delegate.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int a0) throws SQLException {
        return delegate.getMoreResults(a0);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return delegate.getQueryTimeout();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return delegate.getResultSet();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return delegate.getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return delegate.getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return delegate.getResultSetType();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return delegate.getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return delegate.isCloseOnCompletion();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return delegate.isClosed();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return delegate.isPoolable();
    }

    @Override
    public boolean isSimpleIdentifier(String a0) throws SQLException {
        return delegate.isSimpleIdentifier(a0);
    }

    @Override
    public boolean isWrapperFor(Class<?> a0) throws SQLException {
        return delegate.isWrapperFor(a0);
    }

    @Override
    public void setCursorName(String a0) throws SQLException {
        delegate.setCursorName(a0);
    }

    @Override
    public void setEscapeProcessing(boolean a0) throws SQLException {
        delegate.setEscapeProcessing(a0);
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        delegate.setFetchDirection(a0);
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        delegate.setFetchSize(a0);
    }

    @Override
    public void setLargeMaxRows(long a0) throws SQLException {
        delegate.setLargeMaxRows(a0);
    }

    @Override
    public void setMaxFieldSize(int a0) throws SQLException {
        delegate.setMaxFieldSize(a0);
    }

    @Override
    public void setMaxRows(int a0) throws SQLException {
        delegate.setMaxRows(a0);
    }

    @Override
    public void setPoolable(boolean a0) throws SQLException {
        delegate.setPoolable(a0);
    }

    @Override
    public void setQueryTimeout(int a0) throws SQLException {
        delegate.setQueryTimeout(a0);
    }

    @Override
    public <T> T unwrap(Class<T> a0) throws SQLException {
        return delegate.unwrap(a0);
    }
}
