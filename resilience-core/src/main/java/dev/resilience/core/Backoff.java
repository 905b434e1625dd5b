package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The delay a {@link Retry} waits before each retry: none, fixed or exponential (initial delay,
 * multiplier, cap), optionally randomised with a {@link Jitter}.
 *
 * <pre>{@code
 * Backoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2)).withJitter(Jitter.FULL)
 * // retry 1: up to 50 ms, retry 2: up to 100 ms, retry 3: up to 200 ms ... never more than 2 s
 * }</pre>
 *
 * <p>Immutable and thread-safe. Jitter draws from {@link ThreadLocalRandom} unless a random generator is
 * given ({@link #withJitter(Jitter, RandomGenerator)}, for reproducible tests); a given generator must be
 * thread-safe if the backoff is shared ({@link java.util.Random} is).
 */
public final class Backoff {

    private static final Backoff NONE = new Backoff(0, 1.0, 0, Jitter.NONE, null);

    private final long initialNanos;
    private final double multiplier;
    private final long maxNanos;
    private final Jitter jitter;
    private final @Nullable RandomGenerator random;

    private Backoff(long initialNanos, double multiplier, long maxNanos, Jitter jitter, @Nullable RandomGenerator random) {
        this.initialNanos = initialNanos;
        this.multiplier = multiplier;
        this.maxNanos = maxNanos;
        this.jitter = jitter;
        this.random = random;
    }

    /** {@return a backoff that retries at once} */
    public static Backoff none() {
        return NONE;
    }

    /**
     * The same delay before every retry.
     *
     * @param delay zero or more
     * @return the backoff
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Backoff fixed(Duration delay) {
        long nanos = Arguments.notNegative("delay", delay).toNanos();
        return new Backoff(nanos, 1.0, nanos, Jitter.NONE, null);
    }

    /**
     * {@code initial}, then {@code initial * multiplier}, {@code initial * multiplier^2}... never more than
     * {@code max}.
     *
     * @param initial the first delay, positive
     * @param multiplier the growth per retry, finite and at least 1
     * @param max the cap, not below {@code initial}
     * @return the backoff, without jitter
     * @throws IllegalArgumentException if {@code initial} is not positive, {@code multiplier} is below 1
     *                                  or not finite, or {@code max} is below {@code initial}
     */
    public static Backoff exponential(Duration initial, double multiplier, Duration max) {
        long initialNanos = Arguments.positive("initial", initial).toNanos();
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1, was " + multiplier);
        }
        Objects.requireNonNull(max, "max");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must not be below initial (" + initial + "), was " + max);
        }
        return new Backoff(initialNanos, multiplier, max.toNanos(), Jitter.NONE, null);
    }

    /**
     * {@link #exponential(Duration, double, Duration)} doubling each time.
     *
     * @param initial the first delay, positive
     * @param max the cap, not below {@code initial}
     * @return the backoff, without jitter
     */
    public static Backoff exponential(Duration initial, Duration max) {
        return exponential(initial, 2.0, max);
    }

    /**
     * This backoff randomised with {@code jitter}, drawing from {@link ThreadLocalRandom}.
     *
     * @param jitter the jitter strategy
     * @return a new backoff; this one is unchanged
     */
    public Backoff withJitter(Jitter jitter) {
        return new Backoff(initialNanos, multiplier, maxNanos, Objects.requireNonNull(jitter, "jitter"), null);
    }

    /**
     * This backoff randomised with {@code jitter}, drawing from {@code random} (seed it for reproducible tests).
     *
     * @param jitter the jitter strategy
     * @param random the source of randomness, thread-safe when the backoff is shared
     * @return a new backoff; this one is unchanged
     */
    public Backoff withJitter(Jitter jitter, RandomGenerator random) {
        return new Backoff(initialNanos, multiplier, maxNanos, Objects.requireNonNull(jitter, "jitter"),
                Objects.requireNonNull(random, "random"));
    }

    /** {@return the jitter strategy; {@link Jitter#NONE} unless set} */
    public Jitter jitter() {
        return jitter;
    }

    /**
     * The delay before retry number {@code retry} (1 for the first retry).
     *
     * @param previousDelay the delay used before the previous retry ({@link Duration#ZERO} for the first);
     *                      only {@link Jitter#DECORRELATED} uses it
     * @param retry the retry number, at least 1
     * @return the delay, zero or more and never above the cap
     * @throws IllegalArgumentException if {@code retry} is below 1
     */
    public Duration delay(int retry, Duration previousDelay) {
        Arguments.atLeast("retry", retry, 1);
        return Duration.ofNanos(delayNanos(retry, previousDelay.toNanos()));
    }

    long delayNanos(int retry, long previousNanos) {
        if (maxNanos == 0) {
            return 0;
        }
        switch (jitter) {
            case FULL:
                return uniform(0, exponentialNanos(retry));
            case EQUAL: {
                long exp = exponentialNanos(retry);
                long half = exp / 2;
                return half + uniform(0, exp - half);
            }
            case DECORRELATED: {
                long previous = Math.max(previousNanos, initialNanos);
                long upper = previous > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : previous * 3;
                return Math.min(maxNanos, uniform(initialNanos, upper));
            }
            default:
                return exponentialNanos(retry);
        }
    }

    private long exponentialNanos(int retry) {
        double nanos = initialNanos * Math.pow(multiplier, retry - 1);
        return nanos >= maxNanos ? maxNanos : (long) nanos;
    }

    /** Uniform in [low, high], both inclusive. */
    private long uniform(long low, long high) {
        if (high <= low) {
            return low;
        }
        RandomGenerator source = random != null ? random : ThreadLocalRandom.current();
        return high == Long.MAX_VALUE ? source.nextLong(low, high) : source.nextLong(low, high + 1);
    }

    @Override
    public String toString() {
        if (maxNanos == 0) {
            return "Backoff{none}";
        }
        if (multiplier == 1.0 && initialNanos == maxNanos) {
            return "Backoff{fixed " + Duration.ofNanos(initialNanos) + ", jitter " + jitter + "}";
        }
        return "Backoff{exponential " + Duration.ofNanos(initialNanos) + " x" + multiplier + " up to "
                + Duration.ofNanos(maxNanos) + ", jitter " + jitter + "}";
    }
}
