package dev.resilience.ratelimit;

import java.time.Duration;

/**
 * The answer of a {@link RateLimiter}: whether the request is admitted and, for the limit that
 * decided (the one that rejected, or the one with the fewest permits left), its quota, the permits
 * remaining, the time until it is fully replenished and, when rejected, the time until the same
 * request could be admitted.
 *
 * <p>Immutable and thread-safe. Times are kept as nanoseconds; the {@code Duration} accessors create
 * the object on demand.
 */
public final class Decision {

    private final boolean allowed;
    private final String limitName;
    private final long limit;
    private final long remaining;
    private final long resetAfterNanos;
    private final long retryAfterNanos;

    private Decision(boolean allowed, String limitName, long limit, long remaining, long resetAfterNanos, long retryAfterNanos) {
        this.allowed = allowed;
        this.limitName = limitName;
        this.limit = limit;
        this.remaining = Math.max(0, remaining);
        this.resetAfterNanos = Math.max(0, resetAfterNanos);
        this.retryAfterNanos = allowed ? 0 : Math.max(0, retryAfterNanos);
    }

    /** An admitted request. */
    public static Decision allowed(String limitName, long limit, long remaining, long resetAfterNanos) {
        return new Decision(true, limitName, limit, remaining, resetAfterNanos, 0);
    }

    /** A rejected request that may be retried after {@code retryAfterNanos}. */
    public static Decision rejected(String limitName, long limit, long resetAfterNanos, long retryAfterNanos) {
        return new Decision(false, limitName, limit, 0, resetAfterNanos, retryAfterNanos);
    }

    /** True when the request is admitted (and its permits consumed). */
    public boolean allowed() {
        return allowed;
    }

    /** The name of the limit that decided. */
    public String limitName() {
        return limitName;
    }

    /** The quota of the limit that decided (permits per window). */
    public long limit() {
        return limit;
    }

    /** Permits left in the deciding limit after this request; 0 when rejected. */
    public long remaining() {
        return remaining;
    }

    /** Time until the deciding limit is fully replenished. */
    public Duration resetAfter() {
        return Duration.ofNanos(resetAfterNanos);
    }

    /** {@link #resetAfter()} in nanoseconds. */
    public long resetAfterNanos() {
        return resetAfterNanos;
    }

    /** Time until the same request could be admitted; zero when admitted. */
    public Duration retryAfter() {
        return Duration.ofNanos(retryAfterNanos);
    }

    /** {@link #retryAfter()} in nanoseconds. */
    public long retryAfterNanos() {
        return retryAfterNanos;
    }

    @Override
    public String toString() {
        return (allowed ? "allowed" : "rejected") + "{" + limitName + ", limit " + limit + ", remaining " + remaining
                + ", resetAfter " + resetAfter() + (allowed ? "" : ", retryAfter " + retryAfter()) + "}";
    }
}
