package dev.resilience.ratelimit;

/** What a {@link RedisRateLimiter} does while Redis is slow or unavailable. */
public enum FallbackMode {
    /** Decide with an in-memory limiter holding a share of each limit (the default). */
    LOCAL_FALLBACK,
    /** Admit every request (availability over protection). */
    FAIL_OPEN,
    /** Reject every request (protection over availability). */
    FAIL_CLOSED
}
