package dev.resilience.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer of a {@link RateLimiter}: whether the request is admitted and, for the limit that
 * decided (the one that rejected, or the one with the fewest permits left), its quota, the permits
 * remaining, the time until it is fully replenished and, when rejected, the time until the same
 * request could be admitted. It also names the {@link #policy() policy} that applied: the limiter's
 * own, or, while a {@link RedisRateLimiter} decides without Redis, its fallback's share of it, so
 * the {@code RateLimit-Policy} and {@code RateLimit} headers always describe the same quotas.
 *
 * <p>Immutable and thread-safe. Times are kept as nanoseconds; the {@code Duration} accessors create
 * the object on demand.
 */
public final class Decision {

    private final boolean allowed;
    private final RateLimitPolicy policy;
    private final String limitName;
    private final long limit;
    private final long remaining;
    private final long resetAfterNanos;
    private final long retryAfterNanos;

    private Decision(boolean allowed, RateLimitPolicy policy, String limitName, long limit, long remaining, long resetAfterNanos, long retryAfterNanos) {
        this.allowed = allowed;
        this.policy = policy;
        this.limitName = limitName;
        this.limit = limit;
        this.remaining = Math.max(0, remaining);
        this.resetAfterNanos = Math.max(0, resetAfterNanos);
        this.retryAfterNanos = allowed ? 0 : Math.max(0, retryAfterNanos);
    }

    /**
     * {@return an admitted request, decided by {@code limitName} of {@code policy}}
     *
     * @param policy the policy whose limits applied
     * @param limitName the limit that decided: the one with the fewest permits left
     * @param limit that limit's quota, permits per window
     * @param remaining permits left in that limit after this request
     * @param resetAfterNanos nanoseconds until that limit is fully replenished
     */
    public static Decision allowed(RateLimitPolicy policy, String limitName, long limit, long remaining, long resetAfterNanos) {
        return new Decision(true, Objects.requireNonNull(policy, "policy"), limitName, limit, remaining, resetAfterNanos, 0);
    }

    /**
     * {@return a rejected request that may be retried after {@code retryAfterNanos}, decided by {@code limitName} of {@code policy}}
     *
     * @param policy the policy whose limits applied
     * @param limitName the limit that refused
     * @param limit that limit's quota, permits per window
     * @param resetAfterNanos nanoseconds until that limit is fully replenished
     * @param retryAfterNanos nanoseconds until the same request could be admitted
     */
    public static Decision rejected(RateLimitPolicy policy, String limitName, long limit, long resetAfterNanos, long retryAfterNanos) {
        return new Decision(false, Objects.requireNonNull(policy, "policy"), limitName, limit, 0, resetAfterNanos, retryAfterNanos);
    }

    /**
     * The policy whose limits applied: the limiter's, or while a {@link RedisRateLimiter} decides
     * without Redis in {@link FallbackMode#LOCAL_FALLBACK}, the share of it its fallback holds
     * ({@link #limit()} is then that share's quota).
     *
     * @return the policy that decided
     */
    public RateLimitPolicy policy() {
        return policy;
    }

    /** {@return true when the request is admitted (and its permits consumed)} */
    public boolean allowed() {
        return allowed;
    }

    /** {@return the name of the limit that decided} */
    public String limitName() {
        return limitName;
    }

    /** {@return the quota of the limit that decided (permits per window)} */
    public long limit() {
        return limit;
    }

    /**
     * Permits left in the deciding limit after this request; 0 when rejected.
     *
     * @return the permits left, 0 or more
     */
    public long remaining() {
        return remaining;
    }

    /**
     * Time until the deciding limit is fully replenished.
     *
     * @return the time until the limit is full again, never negative
     */
    public Duration resetAfter() {
        return Duration.ofNanos(resetAfterNanos);
    }

    /**
     * {@link #resetAfter()} in nanoseconds.
     *
     * @return nanoseconds until the limit is full again
     */
    public long resetAfterNanos() {
        return resetAfterNanos;
    }

    /**
     * Time until the same request could be admitted; zero when admitted.
     *
     * @return the time to wait before retrying; {@link Duration#ZERO} when admitted
     */
    public Duration retryAfter() {
        return Duration.ofNanos(retryAfterNanos);
    }

    /**
     * {@link #retryAfter()} in nanoseconds.
     *
     * @return nanoseconds to wait before retrying; 0 when admitted
     */
    public long retryAfterNanos() {
        return retryAfterNanos;
    }

    @Override
    public String toString() {
        return (allowed ? "allowed" : "rejected") + "{" + limitName + ", limit " + limit + ", remaining " + remaining
                + ", resetAfter " + resetAfter() + (allowed ? "" : ", retryAfter " + retryAfter()) + "}";
    }
}
