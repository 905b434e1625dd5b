package dev.resilience.pool;

import dev.resilience.core.ResilienceException;
import org.jspecify.annotations.Nullable;

/**
 * The pool could not open its first connection when it was built. {@link #reason()} says which of
 * the usual causes it is, so the message tells the operator what to fix. Neither the message nor
 * the cause ever contains the password.
 */
public class PoolStartupException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /** Why the pool could not start. */
    public enum Reason {
        /** The server rejected the user name or password (SQL state 28P01 or 28000). */
        BAD_CREDENTIALS,
        /** Nothing answered at the host and port, or the connection timed out (SQL state 08xxx). */
        UNREACHABLE,
        /** The server runs but has no database of that name (SQL state 3D000). */
        UNKNOWN_DATABASE,
        /** Anything else; the cause says what. */
        OTHER
    }

    /**
     * Why the pool could not start.
     */
    private final Reason reason;
    /**
     * The SQL state the driver reported, or null.
     */
    private final @Nullable String sqlState;

    /**
     * @param reason the classified cause
     * @param sqlState the SQL state reported by the driver, or null
     * @param message the message naming the pool and the (redacted) URL
     * @param cause the underlying failure
     */
    public PoolStartupException(Reason reason, @Nullable String sqlState, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.sqlState = sqlState;
    }

    /**
     * Why the pool could not start.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The SQL state the driver reported, or null when there was none.
     *
     * @return the SQL state, or null
     */
    public @Nullable String sqlState() {
        return sqlState;
    }
}
