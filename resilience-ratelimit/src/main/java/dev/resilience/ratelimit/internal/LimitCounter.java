package dev.resilience.ratelimit.internal;

import dev.resilience.ratelimit.Limit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The in-memory state machine of one {@link Limit}: the whole state of a key for that limit is one
 * {@code long} updated by compare-and-set, so deciding is lock-free and allocates nothing. Times are
 * microseconds since the epoch (from the limiter's clock), so windows align with Redis' windows, and
 * all arithmetic is on integers exactly as in the Redis script ({@code ratelimit.lua}): both reach the
 * same decisions, remaining permits and times for every configuration.
 *
 * <p>Thread-safe and stateless apart from the limit's constants.
 */
public abstract class LimitCounter {

    /** Returned by {@link #tryConsume} when the permits do not fit. */
    public static final long REJECTED = Long.MIN_VALUE;

    final Limit limit;

    LimitCounter(Limit limit) {
        this.limit = limit;
    }

    /** The counter for {@code limit}'s algorithm. */
    public static LimitCounter of(Limit limit) {
        return switch (limit.algorithm()) {
            case TOKEN_BUCKET -> new GcraCounter(limit);
            case SLIDING_WINDOW -> new SlidingWindowCounter(limit);
            case FIXED_WINDOW -> new FixedWindowCounter(limit);
        };
    }

    public Limit limit() {
        return limit;
    }

    /** The window of {@code limit} in whole microseconds (the unit both limiters compute in). */
    public static long windowMicros(Limit limit) {
        return limit.window().toNanos() / 1_000;
    }

    /**
     * Takes {@code permits} from the state at {@code words[i]} if they fit at time {@code now}. With
     * {@code permits == 0} it only checks whether one permit would fit and writes nothing.
     *
     * @return the state written (or read, for a check), or {@link #REJECTED}
     */
    public abstract long tryConsume(AtomicLongArray words, int i, long now, int permits);

    /** Gives back permits taken at {@code now} by {@link #tryConsume} (another limit rejected the request). */
    public abstract void refund(AtomicLongArray words, int i, long now, int permits);

    /**
     * Adds {@code delta} permits (a penalty; a refund when negative) at {@code now} whether or not they
     * fit: a count never below zero, a bucket never fuller than its capacity.
     */
    public abstract void adjust(AtomicLongArray words, int i, long now, long delta);

    /** Permits left at {@code now} in state {@code word}. */
    public abstract long remaining(long word, long now);

    /** Microseconds from {@code now} until state {@code word} is fully replenished. */
    public abstract long resetAfter(long word, long now);

    /**
     * Microseconds from {@code now} until {@code permits} would fit in state {@code word} if nothing else
     * arrived meanwhile; 0 if they fit now.
     */
    public abstract long retryAfter(long word, long now, int permits);
}
