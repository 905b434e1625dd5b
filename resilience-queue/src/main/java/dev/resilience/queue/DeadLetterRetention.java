package dev.resilience.queue;

/**
 * What happens to a dead task once it has been in the dead letter queue longer than the retention
 * ({@link TaskQueue.Builder#deadLetterRetention(java.time.Duration, DeadLetterRetention)}).
 */
public enum DeadLetterRetention {
    /** Moved, with its payload and whole history, into the table {@code <schema>.dead_archive}. */
    ARCHIVE,
    /** Deleted. */
    DELETE
}
