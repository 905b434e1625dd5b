package dev.resilience.pool;

import dev.resilience.core.ResilienceException;
import java.sql.SQLException;

/**
 * The connection failed while the commit was in flight, so nobody knows whether the transaction was
 * committed. A unit of work is retried after this only when it was marked
 * {@linkplain TransactionOptions.Builder#idempotent(boolean) idempotent}; otherwise the caller must
 * find out (for example by reading back what it wrote) before doing it again.
 *
 * <p>The cause is the driver's exception.
 */
public class OutcomeUnknownException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being committed
     * @param cause the driver's exception raised by the commit
     */
    public OutcomeUnknownException(String message, SQLException cause) {
        super(message, cause);
    }
}
