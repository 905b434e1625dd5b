package dev.resilience.queue;

import dev.resilience.core.ResilienceException;

/** The queue could not talk to the database, or its schema is newer than this library. */
public class QueueException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }

    public QueueException(String message) {
        super(message);
    }
}
