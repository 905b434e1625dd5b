package dev.resilience.examples.http;

import dev.resilience.core.ResilienceException;
import dev.resilience.pool.OutcomeUnknownException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells failures that mean "a dependency is down or overloaded, come back shortly" (answered 503 with
 * {@code Retry-After}) from bugs (500): a policy's rejection (a breaker open, a bulkhead full, the
 * pool's acquisition breaker while the database is unreachable, the pool closing), no connection
 * within the acquire timeout, a connection lost or refused (SQL state class 08, 57P01-57P03 for a
 * server shutting down or starting), and a statement cut by its timeout ({@code QueryTimeoutException}).
 * An {@link OutcomeUnknownException} is not one of them: the write may have happened, so a blind retry
 * is wrong. Stateless.
 */
final class Unavailable {

    private Unavailable() {
    }

    /**
     * Whether {@code failure}, or one of its causes, is an {@link OutcomeUnknownException}: the connection
     * was lost while the commit was in flight (the database stopped, or the pool aborted its connections
     * when it found an outage), so the write may or may not have happened.
     */
    static boolean isOutcomeUnknown(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof OutcomeUnknownException) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code failure}, or one of its causes, means the client should retry later. */
    static boolean isTemporary(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof OutcomeUnknownException) {
                return false;
            }
            if (e instanceof ResilienceException || e instanceof SQLTransientConnectionException) {
                return true;
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }
}
