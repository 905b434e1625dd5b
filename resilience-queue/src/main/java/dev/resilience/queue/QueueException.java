package dev.resilience.queue;

import dev.resilience.core.ResilienceException;

/** The queue could not talk to the database, or its schema is newer than this library. */
public class QueueException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * A failure with the underlying cause.
     *
     * @param message what failed
     * @param cause   the cause, usually a {@link java.sql.SQLException}
     */
    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A failure without a cause.
     *
     * @param message what failed
     */
    public QueueException(String message) {
        super(message);
    }
}
