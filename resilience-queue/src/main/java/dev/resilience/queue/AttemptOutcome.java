package dev.resilience.queue;

/** How an attempt ended, as reported to a {@link QueueListener}. */
public enum AttemptOutcome {
    /** The handler returned; the task is done. */
    SUCCEEDED,
    /** The handler failed; the task runs again later. */
    RETRIED,
    /** The handler failed for the last time or with a failure not to retry; the task is dead-lettered. */
    DEAD_LETTERED,
    /** The outcome could not be recorded: the lease was lost (deadline passed, or the database was unreachable). */
    LEASE_LOST
}
