package dev.resilience.queue;

import dev.resilience.core.Backoff;
import dev.resilience.core.Jitter;
import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How the tasks of one type are retried: the maximum number of attempts, the {@link Backoff} between
 * them, which failures are worth retrying, and how long one attempt may take.
 *
 * <p>Defaults: 5 attempts, exponential backoff from 1 s doubling up to 10 min with {@link Jitter#EQUAL},
 * every exception retried, 5 min per attempt. A failure the predicate rejects, or the last attempt's
 * failure, moves the task to the dead letter queue. A {@link RetryAfterException} sets the next delay
 * itself. Immutable and thread-safe.
 */
public final class TaskPolicy {

    private static final TaskPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Backoff backoff;
    private final Predicate<Throwable> retryOn;
    private final Duration timeout;

    private TaskPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.retryOn = b.retryOn;
        this.timeout = b.timeout;
    }

    /**
     * The default policy (see the class comment); the effective settings are read with the getters below,
     * which is all a policy has (the retry-on predicate is code and cannot be printed).
     *
     * @return the shared default policy
     */
    public static TaskPolicy ofDefaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The most attempts a task gets, the first included (default 5).
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The delay between attempts (default exponential from 1 s, doubling, capped at 10 min, equal jitter).
     *
     * @return the backoff
     */
    public Backoff backoff() {
        return backoff;
    }

    /**
     * How long one attempt may run before it counts as failed (default 5 min).
     *
     * @return a positive duration
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The delay before the next attempt after attempt {@code attempt} failed with {@code error}, or null
     * when the task goes to the dead letter queue.
     */
    @Nullable Duration retryDelay(int attempt, Throwable error) {
        if (attempt >= maxAttempts) {
            return null;
        }
        if (error instanceof RetryAfterException retryAfter) {
            return retryAfter.retryAfter();
        }
        if (!retryOn.test(error)) {
            return null;
        }
        return backoff.delay(attempt, Duration.ZERO);
    }

    @Override
    public String toString() {
        return "TaskPolicy{" + maxAttempts + " attempts, " + backoff + ", timeout " + timeout + "}";
    }

    /** Builds a {@link TaskPolicy}. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 5;
        private Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(10)).withJitter(Jitter.EQUAL);
        private Predicate<Throwable> retryOn = error -> true;
        private Duration timeout = Duration.ofMinutes(5);

        private Builder() {
        }

        /**
         * Attempts in all, the first included (default 5); 1 means never retried.
         *
         * @param maxAttempts 1 to 1000
         * @return this builder
         * @throws IllegalArgumentException if below 1 or above 1000
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Arguments.between("maxAttempts", maxAttempts, 1, 1000);
            return this;
        }

        /**
         * The delay before retry n (core's {@link Backoff}, with jitter if it has one).
         *
         * @param backoff the backoff; attempt n waits {@code backoff.delay(n, ...)}
         * @return this builder
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Failures to retry (default: all); others go to the dead letter queue at once.
         *
         * @param retryOn true for failures worth another attempt; called on the worker thread
         * @return this builder
         */
        public Builder retryOn(Predicate<Throwable> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /**
         * How long one attempt may run (default 5 min): the handler's deadline. After it the lease is no
         * longer extended, so the task is redelivered once the lease expires.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Arguments.positive("timeout", timeout);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return an immutable, thread-safe policy
         */
        public TaskPolicy build() {
            return new TaskPolicy(this);
        }
    }
}
