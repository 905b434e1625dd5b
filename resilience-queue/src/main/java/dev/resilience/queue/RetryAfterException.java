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

    private final Duration retryAfter;

    /**
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public RetryAfterException(Duration retryAfter, String message) {
        super(message);
        this.retryAfter = Arguments.notNegative("retryAfter", retryAfter);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
