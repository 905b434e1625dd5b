package dev.resilience.pool;

import dev.resilience.core.ResilienceException;
import java.sql.SQLException;

/**
 * A statement ran over its timeout (the pool's default statement timeout, or the one set for the
 * unit of work) and the server cancelled it: SQL state {@code 57014}. The transaction was rolled back
 * and is not retried, since running the same statement again would most likely time out again.
 *
 * <p>Thrown by the units of work ({@code transaction}, {@code readOnly}); a connection taken with
 * {@link ResilientDataSource#getConnection()} keeps the plain JDBC contract and throws the driver's
 * {@link SQLException} instead. The cause is the driver's exception.
 */
public class QueryTimeoutException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * The SQL state the server reported.
     */
    private final String sqlState;

    /**
     * @param message what timed out
     * @param cause the driver's exception carrying SQL state {@code 57014}
     */
    public QueryTimeoutException(String message, SQLException cause) {
        super(message, cause);
        this.sqlState = cause.getSQLState();
    }

    /**
     * The SQL state the server reported, {@code 57014} for PostgreSQL.
     *
     * @return the SQL state
     */
    public String sqlState() {
        return sqlState;
    }
}
