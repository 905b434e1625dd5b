package dev.resilience.ratelimit;

/** What a {@link RedisRateLimiter} does while Redis is slow or unavailable. */
public enum FallbackMode {
    /**
     * Decide with an in-memory limiter holding a share of each limit (the default). Decisions then carry
     * that share as their {@link Decision#policy() policy} and quota, so the response headers show it.
     */
    LOCAL_FALLBACK,
    /** Admit every request (availability over protection). */
    FAIL_OPEN,
    /**
     * Reject every request (protection over availability), asking to retry once the circuit breaker
     * lets Redis be tried again: its remaining open time, at least one second.
     */
    FAIL_CLOSED
}
