package dev.resilience.queue;

import dev.resilience.core.ResilienceException;
import dev.resilience.core.internal.Arguments;
import java.time.Duration;

/**
 * Thrown by a {@link TaskHandler} to fail the attempt and run the next one after {@link #retryAfter()}
 * (for example an HTTP {@code Retry-After}) instead of the type's backoff. The attempt still counts
 * towards the maximum; the retry-on predicate is not asked.
 */
public class RetryAfterException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /** The wait the handler asked for before the next attempt; serialized. */
    private final Duration retryAfter;

    /**
     * A failure that asks for the next attempt after {@code retryAfter}.
     *
     * @param retryAfter how long to wait before the next attempt; zero or more
     * @param message    why the attempt failed
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public RetryAfterException(Duration retryAfter, String message) {
        super(message);
        this.retryAfter = Arguments.notNegative("retryAfter", retryAfter);
    }

    /**
     * The delay the handler asked for.
     *
     * @return the wait before the next attempt, not negative
     */
    public Duration retryAfter() {
        return retryAfter;
    }
}
