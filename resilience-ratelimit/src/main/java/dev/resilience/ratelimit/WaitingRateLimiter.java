package dev.resilience.ratelimit;

import dev.resilience.core.Clock;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Sleeper;
import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * Waits for permits instead of answering at once: {@link #acquire(String, int)} blocks and
 * {@link #acquireAsync(String, int)} completes later, each for at most {@link Builder#maxWait(Duration)
 * maxWait}. A rejected request is tried again after the retry time its {@link Decision} gives, as long
 * as that time still falls within the wait; otherwise the rejection is returned at once, without
 * waiting for nothing. For jobs and clients that should slow down rather than fail (a worker calling a
 * rate-limited API); an HTTP server should rather reject with {@code 429} and let the client wait.
 *
 * <pre>{@code
 * WaitingRateLimiter waiting = WaitingRateLimiter.builder(limiter).maxWait(Duration.ofSeconds(2)).build();
 * Decision decision = waiting.acquire("partner-api", 1);                  // blocks up to 2 s
 * waiting.acquireAsync("partner-api", 1).thenAccept(d -> { if (d.allowed()) send(); });
 * }</pre>
 *
 * <p>Immutable and thread-safe; the blocking form sleeps through a {@link Sleeper} (virtual-thread
 * friendly), the asynchronous one schedules through a {@link Scheduler}: no thread per call.
 */
public final class WaitingRateLimiter {

    /** A rejected request with no usable retry time is tried again after this, so waiting never spins. */
    private static final long MIN_PAUSE_NANOS = 1_000_000;

    private final RateLimiter limiter;
    private final long maxWaitNanos;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Scheduler scheduler;

    /** What {@link #config()} reports. */
    private final Config config;

    private WaitingRateLimiter(Builder builder) {
        this.limiter = builder.limiter;
        this.maxWaitNanos = builder.maxWait.toNanos();
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.scheduler = builder.scheduler;
        this.config = new Config(limiter.name(), builder.maxWait);
    }

    /**
     * {@return a builder waiting on {@code limiter}}
     *
     * @param limiter the limiter to wait on
     */
    public static Builder builder(RateLimiter limiter) {
        return new Builder(limiter);
    }

    /**
     * Takes {@code permits} for {@code key}, waiting up to the maximum wait for them.
     *
     * @param key what is counted, with its type prefix
     * @param permits how many to take
     * @return the admitting decision, or the rejection when the permits will not be there in time
     * @throws InterruptedException when the thread is interrupted while waiting
     * @throws IllegalArgumentException for the arguments {@link RateLimiter#tryAcquire(String, int)} rejects
     */
    public Decision acquire(String key, int permits) throws InterruptedException {
        long deadline = clock.nanoTime() + maxWaitNanos;
        while (true) {
            Decision decision = limiter.tryAcquire(key, permits);
            long pause = pause(decision, deadline);
            if (pause < 0) {
                return decision;
            }
            sleeper.sleep(Duration.ofNanos(pause));
        }
    }

    /**
     * {@link #acquire(String, int)} without blocking: the stage completes with the admitting decision,
     * or with the rejection once the permits cannot be there within the maximum wait. It completes
     * exceptionally only for invalid arguments.
     *
     * @param key what is counted, with its type prefix
     * @param permits how many to take
     * @return the admitting decision, or the rejection when the permits will not be there in time
     */
    public CompletionStage<Decision> acquireAsync(String key, int permits) {
        CompletableFuture<Decision> result = new CompletableFuture<>();
        attempt(key, permits, clock.nanoTime() + maxWaitNanos, result);
        return result;
    }

    private void attempt(String key, int permits, long deadline, CompletableFuture<Decision> result) {
        limiter.tryAcquireAsync(key, permits).whenComplete((decision, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            long pause = pause(decision, deadline);
            if (pause < 0) {
                result.complete(decision);
            } else {
                // the next attempt completes result, which is what the caller waits on; the handle is not needed
                Future<?> unused = scheduler.schedule(() -> attempt(key, permits, deadline, result), Duration.ofNanos(pause));
            }
        });
    }

    /** How long to pause before trying again, or -1 to answer with {@code decision} now. */
    private long pause(Decision decision, long deadline) {
        if (decision.allowed()) {
            return -1;
        }
        long pause = Math.max(MIN_PAUSE_NANOS, decision.retryAfterNanos());
        return clock.nanoTime() + pause - deadline > 0 ? -1 : pause;
    }

    @Override
    public String toString() {
        return "WaitingRateLimiter{" + limiter.name() + ", maxWait " + Duration.ofNanos(maxWaitNanos) + "}";
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link WaitingRateLimiter}.
     *
     * @param limiter the name of the limiter it waits on
     * @param maxWait the longest a call waits for its permits (default 1 s)
     */
    public record Config(String limiter, Duration maxWait) {
    }

    /** Builds a {@link WaitingRateLimiter}. Not thread-safe; the built object is. */
    public static final class Builder {
        private final RateLimiter limiter;
        private Duration maxWait = Duration.ofSeconds(1);
        private Clock clock = Clock.system();
        private Sleeper sleeper = Sleeper.system();
        private Scheduler scheduler = Scheduler.defaultScheduler();

        private Builder(RateLimiter limiter) {
            this.limiter = Objects.requireNonNull(limiter, "limiter");
        }

        /**
         * The longest a call waits for its permits (default 1 s).
         *
         * @param maxWait 0 or more; 0 never waits
         * @return this builder
         * @throws IllegalArgumentException unless between 0 and 1 hour
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Arguments.between("maxWait", maxWait, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /**
         * The clock measuring the wait (default {@link Clock#system()}); use the limiter's.
         *
         * @param clock the time source
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How {@link WaitingRateLimiter#acquire} waits (default {@link Sleeper#system()}).
         *
         * @param sleeper waits in {@link WaitingRateLimiter#acquire}; tests pass one that advances a manual clock
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * How {@link WaitingRateLimiter#acquireAsync} waits (default {@link Scheduler#defaultScheduler()}).
         *
         * @param scheduler delays the retries of {@link WaitingRateLimiter#acquireAsync}
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the waiting limiter.
         *
         * @return an immutable, thread-safe waiting limiter
         */
        public WaitingRateLimiter build() {
            return new WaitingRateLimiter(this);
        }
    }
}
