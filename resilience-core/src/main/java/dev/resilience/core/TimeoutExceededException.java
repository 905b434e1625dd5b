package dev.resilience.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Thrown (or completes an asynchronous call) when a {@link Timeout}'s deadline passes before the work is
 * done. The cause, when there is one, is what the interrupted work threw.
 */
public final class TimeoutExceededException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * The name of the timeout whose deadline passed.
     */
    private final String timeoutName;
    /**
     * The timeout's duration.
     */
    private final Duration timeout;

    TimeoutExceededException(String timeoutName, Duration timeout, @Nullable Throwable cause) {
        super("Timeout '" + timeoutName + "' of " + timeout.toMillis() + " ms exceeded", cause);
        this.timeoutName = timeoutName;
        this.timeout = timeout;
    }

    /** {@return the name of the timeout whose deadline passed} */
    public String timeoutName() {
        return timeoutName;
    }

    /** {@return the duration that was exceeded} */
    public Duration timeout() {
        return timeout;
    }
}
