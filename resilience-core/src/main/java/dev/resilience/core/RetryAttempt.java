package dev.resilience.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Retry} knows about one call at one attempt. The work sees it through
 * {@link Retry#callWithAttempt(Retry.AttemptCallable)} (for example to send the time left as a request
 * deadline, or to log the attempt number), and a delay function sees it through
 * {@link Retry.Builder#delayFrom(java.util.function.Function)} (for example to honour a {@code Retry-After}).
 *
 * <p>A view of the call's state, valid while the call runs: read it during the attempt or the delay
 * function, do not keep it. Not for use from other threads.
 */
public interface RetryAttempt {

    /** {@return the attempt's number: 1 for the first; in a delay function, the attempt that just failed} */
    int number();

    /**
     * {@return the failure of the latest completed attempt (the one before, inside the work; the one that just
     * failed, in a delay function), or null when there is none or it returned a result that is retried}
     */
    @Nullable Throwable lastFailure();

    /**
     * {@return the result of the latest completed attempt when {@code retryOnResult} asked to retry it, else null}
     */
    @Nullable Object lastResult();

    /**
     * {@return the time left before the call must end: the nearer of {@code maxDuration} (from the start of the
     * call) and the deadline of an enclosing {@link Timeout}; never negative; null when there is neither}
     */
    @Nullable Duration remaining();
}
