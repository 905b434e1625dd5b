package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Caps retries to a share of recent traffic so that an outage does not turn into a retry storm: over
 * the last {@code window}, retries may not exceed {@code retryRatio} times the calls made plus a floor of
 * {@code minRetriesPerSecond} per second of the window (the floor keeps low-traffic services able to
 * retry at all). This is the budget of Finagle and gRPC, sized in the same terms.
 *
 * <pre>{@code
 * RetryBudget budget = RetryBudget.builder().retryRatio(0.1).minRetriesPerSecond(5).build();
 * Retry payments = Retry.builder("payments").budget(budget).build();
 * Retry ledger = Retry.builder("ledger").budget(budget).build();   // shares the same budget
 * }</pre>
 *
 * <p>Defaults: ratio 0.2 (retries add at most 20 % load), 10 retries per second, a 10 second window.
 *
 * <p>Thread-safe and lock-free; shared by any number of {@link Retry} instances. Counting is per second
 * and approximate under heavy contention (a few retries over the budget at a second boundary), which is
 * what a load-shedding budget needs.
 */
public final class RetryBudget {

    private final double retryRatio;
    private final int minRetriesPerSecond;
    private final int windowSeconds;
    private final Clock clock;
    private final AtomicLongArray seconds;
    private final AtomicLongArray calls;
    private final AtomicLongArray retries;

    private RetryBudget(Builder builder) {
        this.retryRatio = builder.retryRatio;
        this.minRetriesPerSecond = builder.minRetriesPerSecond;
        this.windowSeconds = (int) Math.max(1, (builder.window.toMillis() + 999) / 1000);
        this.clock = builder.clock;
        this.seconds = new AtomicLongArray(windowSeconds);
        this.calls = new AtomicLongArray(windowSeconds);
        this.retries = new AtomicLongArray(windowSeconds);
        for (int i = 0; i < windowSeconds; i++) {
            seconds.set(i, Long.MIN_VALUE);
        }
    }

    /** {@return a budget with the defaults: ratio 0.2, 10 retries per second, 10 second window} */
    public static RetryBudget ofDefaults() {
        return builder().build();
    }

    /**
     * A builder with the defaults: 20 % of the calls, at least 10 retries a second, over a 10 s window.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Records a first attempt (not a retry); {@link Retry} calls it once per call. */
    public void recordCall() {
        calls.incrementAndGet(bucket(currentSecond()));
    }

    /**
     * Takes one retry from the budget.
     *
     * @return true when the retry may go ahead (and is counted); false when the budget is spent
     */
    public boolean tryAcquireRetry() {
        long now = currentSecond();
        if (available(now) < 1) {
            return false;
        }
        retries.incrementAndGet(bucket(now));
        return true;
    }

    /** {@return how many retries the budget allows right now (rounded down, never negative)} */
    public long availableRetries() {
        return Math.max(0, available(currentSecond()));
    }

    /** {@return the share of recent calls that may be retried, between 0 and 1 (default 0.2)} */
    public double retryRatio() {
        return retryRatio;
    }

    /** {@return the retries per second always allowed, however few the calls (default 10)} */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** {@return the window, rounded up to whole seconds} */
    public Duration window() {
        return Duration.ofSeconds(windowSeconds);
    }

    /**
     * The clock the window is measured with.
     *
     * @return the clock; {@link Clock#system()} by default
     */
    public Clock clock() {
        return clock;
    }

    private long available(long now) {
        long callSum = 0;
        long retrySum = 0;
        for (int i = 0; i < windowSeconds; i++) {
            long second = seconds.get(i);
            if (second > now - windowSeconds && second <= now) {
                callSum += calls.get(i);
                retrySum += retries.get(i);
            }
        }
        return (long) Math.floor((double) minRetriesPerSecond * windowSeconds + retryRatio * callSum) - retrySum;
    }

    private long currentSecond() {
        return Math.floorDiv(clock.nanoTime(), 1_000_000_000L);
    }

    /** The bucket of {@code second}, emptied first when it still holds an older second. */
    private int bucket(long second) {
        int index = (int) Math.floorMod(second, (long) windowSeconds);
        long held = seconds.get(index);
        if (held != second && held < second && seconds.compareAndSet(index, held, second)) {
            calls.set(index, 0);
            retries.set(index, 0);
        }
        return index;
    }

    @Override
    public String toString() {
        return "RetryBudget{ratio " + retryRatio + ", " + minRetriesPerSecond + "/s, window " + windowSeconds + " s}";
    }

    /** Builds a {@link RetryBudget}. Not thread-safe; the budget it builds is. */
    public static final class Builder {
        private double retryRatio = 0.2;
        private int minRetriesPerSecond = 10;
        private Duration window = Duration.ofSeconds(10);
        private Clock clock = Clock.system();

        private Builder() {
        }

        /**
         * Retries allowed per call made in the window, between 0 and 1000 (0.2 means retries add at most
         * 20 % to the load). Default 0.2.
         *
         * @param ratio the ratio
         * @return this builder
         */
        public Builder retryRatio(double ratio) {
            if (!(ratio >= 0 && ratio <= 1000)) {
                throw new IllegalArgumentException("retryRatio must be between 0 and 1000, was " + ratio);
            }
            this.retryRatio = ratio;
            return this;
        }

        /**
         * Retries always allowed per second of the window, whatever the traffic. Default 10.
         *
         * @param minRetriesPerSecond zero or more
         * @return this builder
         */
        public Builder minRetriesPerSecond(int minRetriesPerSecond) {
            this.minRetriesPerSecond = Arguments.atLeast("minRetriesPerSecond", minRetriesPerSecond, 0);
            return this;
        }

        /**
         * How far back calls and retries count, 1 second to 1 hour, rounded up to seconds. Default 10 s.
         *
         * @param window the window
         * @return this builder
         */
        public Builder window(Duration window) {
            Arguments.positive("window", window);
            if (window.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("window must be at most 1 hour, was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * The clock for the window; {@link Clock#system()} by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the budget.
         *
         * @return the budget, empty
         */
        public RetryBudget build() {
            return new RetryBudget(this);
        }
    }
}
