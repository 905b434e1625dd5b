package dev.resilience.ratelimit;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One limit of a {@link RateLimitPolicy}: a name, an algorithm and a quota of permits per window.
 *
 * <ul>
 *   <li>{@link Algorithm#TOKEN_BUCKET}: a token bucket computed as GCRA. It holds {@code capacity}
 *       permits and refills {@code permits} every {@code window}, evenly; exact, smooth, one number of
 *       state per key.</li>
 *   <li>{@link Algorithm#SLIDING_WINDOW}: the sliding-window counter, an approximation: the previous
 *       window's count weighted by how much of it the sliding window still covers (rounded up), plus
 *       the current count. It admits at most {@code permits} per window aligned to the epoch, but up to
 *       {@code 2 * permits - 1} within one span of {@code window} that straddles two aligned windows:
 *       that bound is reached when the previous window's requests all came at its very end. Under
 *       evenly spread traffic it stays near {@code permits}; when the previous window's requests came
 *       early it admits fewer. An exact sliding log (at most {@code permits} in every span) is not
 *       offered.</li>
 *   <li>{@link Algorithm#FIXED_WINDOW}: a counter per window aligned to the epoch; exact within a
 *       window but allows up to 2x the limit across a boundary.</li>
 * </ul>
 *
 * <p>The name appears in {@code RateLimit-Policy}/{@code RateLimit} headers and in Redis keys: letters,
 * digits, {@code _ . -}, at most 32 characters. Immutable and thread-safe.
 */
public final class Limit {

    /** How a limit counts. */
    public enum Algorithm {
        /** Token bucket (GCRA): capacity plus an even refill rate. */
        TOKEN_BUCKET,
        /** Sliding-window counter: the weighted approximation; fewer than 2x the limit in any span of one window. */
        SLIDING_WINDOW,
        /** Fixed window aligned to the epoch: exact count per window. */
        FIXED_WINDOW
    }

    /** The largest quota a sliding window holds (the in-memory state packs counts into 21 bits). */
    public static final long MAX_SLIDING_WINDOW_PERMITS = (1L << 21) - 1;
    /** The largest quota a fixed window holds. */
    public static final long MAX_FIXED_WINDOW_PERMITS = Integer.MAX_VALUE;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Duration MIN_WINDOW = Duration.ofMillis(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(366);
    /** Keeps a bucket's state below 2^53 microseconds, where the Redis script's numbers are exact. */
    private static final long MAX_REFILL_MICROS = Duration.ofDays(36_525).toNanos() / 1_000;

    private final String name;
    private final Algorithm algorithm;
    private final long permits;
    private final Duration window;
    private final long capacity;

    private Limit(String name, Algorithm algorithm, long permits, Duration window, long capacity) {
        this.name = name;
        this.algorithm = algorithm;
        this.permits = permits;
        this.window = window;
        this.capacity = capacity;
    }

    /**
     * A sliding-window limit of {@code permits} per {@code window}: at most {@code permits} per aligned
     * window, fewer than {@code 2 * permits} in any span of {@code window} (see the class documentation).
     *
     * @param name the limit's name, shown in the {@code RateLimit} header and part of its Redis key
     * @param permits the quota per window
     * @param window the window's length, 1 ms to 366 days
     * @return the limit
     * @throws IllegalArgumentException if the name is invalid, permits are not in
     *     {@code 1..MAX_SLIDING_WINDOW_PERMITS} or the window is not between 1 ms and 366 days
     */
    public static Limit slidingWindow(String name, long permits, Duration window) {
        checkPermits("permits", permits, MAX_SLIDING_WINDOW_PERMITS);
        return new Limit(checkName(name), Algorithm.SLIDING_WINDOW, permits, checkWindow(window), permits);
    }

    /**
     * {@return a fixed-window limit: at most {@code permits} per window aligned to the epoch}
     *
     * @param name the limit's name, shown in the {@code RateLimit} header and part of its Redis key
     * @param permits the quota per window
     * @param window the window's length, 1 ms to 366 days
     * @throws IllegalArgumentException if the name, permits or window are invalid
     */
    public static Limit fixedWindow(String name, long permits, Duration window) {
        checkPermits("permits", permits, MAX_FIXED_WINDOW_PERMITS);
        return new Limit(checkName(name), Algorithm.FIXED_WINDOW, permits, checkWindow(window), permits);
    }

    /**
     * A token bucket of {@code capacity} permits refilled at {@code permits} per {@code window}
     * (computed as GCRA). {@code tokenBucket("api", 10, 10, 1s)} allows bursts of 10 and 10 per second.
     *
     * @param name the limit's name, shown in the {@code RateLimit} header and part of its Redis key
     * @param capacity the largest burst
     * @param permits how many permits are refilled per window
     * @param window the refill period
     * @return the limit
     * @throws IllegalArgumentException if the name, capacity, permits or window are invalid, the
     *     refill interval ({@code window / permits}, rounded down to the microsecond) is under a
     *     microsecond, or refilling the whole capacity takes more than 100 years
     */
    public static Limit tokenBucket(String name, long capacity, long permits, Duration window) {
        checkPermits("capacity", capacity, Integer.MAX_VALUE);
        checkPermits("permits", permits, Integer.MAX_VALUE);
        checkWindow(window);
        long intervalMicros = window.toNanos() / 1_000 / permits;
        if (intervalMicros < 1) {
            throw new IllegalArgumentException("permits per window must refill at most one permit per microsecond: "
                    + permits + " per " + window);
        }
        if (intervalMicros > MAX_REFILL_MICROS / capacity) {
            throw new IllegalArgumentException("capacity must refill within 100 years (capacity * window / permits): capacity "
                    + capacity + ", " + permits + " per " + window);
        }
        return new Limit(checkName(name), Algorithm.TOKEN_BUCKET, permits, window, capacity);
    }

    /** {@return the name, used in headers and Redis keys} */
    public String name() {
        return name;
    }

    /**
     * How the limit counts: sliding window, fixed window or token bucket.
     *
     * @return the algorithm
     */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** {@return the quota: permits per {@link #window()}} */
    public long permits() {
        return permits;
    }

    /**
     * The window, or for a token bucket the period in which {@link #permits()} permits are refilled.
     *
     * @return the window
     */
    public Duration window() {
        return window;
    }

    /** {@return the most permits available at once: the bucket capacity, or {@link #permits()} for windows} */
    public long capacity() {
        return capacity;
    }

    /**
     * This limit with its quota (and capacity) multiplied by {@code share}, at least 1 permit: the
     * per-instance share used while Redis is unavailable.
     */
    Limit withShare(double share) {
        long scaledPermits = Math.max(1, (long) Math.floor(permits * share));
        long scaledCapacity = Math.max(1, (long) Math.floor(capacity * share));
        return new Limit(name, algorithm, scaledPermits, window, algorithm == Algorithm.TOKEN_BUCKET ? scaledCapacity : scaledPermits);
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("limit name must be 1-32 letters, digits, '_', '.' or '-': " + name);
        }
        return name;
    }

    private static void checkPermits(String parameter, long value, long max) {
        Arguments.between(parameter, value, 1, max);
    }

    private static Duration checkWindow(Duration window) {
        return Arguments.between("window", window, MIN_WINDOW, MAX_WINDOW);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Limit other)) {
            return false;
        }
        return name.equals(other.name) && algorithm == other.algorithm && permits == other.permits
                && window.equals(other.window) && capacity == other.capacity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, algorithm, permits, window, capacity);
    }

    @Override
    public String toString() {
        return name + "(" + algorithm + ", " + permits + " per " + window
                + (algorithm == Algorithm.TOKEN_BUCKET ? ", capacity " + capacity : "") + ")";
    }
}
