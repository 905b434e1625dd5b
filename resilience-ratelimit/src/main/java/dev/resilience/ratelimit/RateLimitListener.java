package dev.resilience.ratelimit;

/**
 * Receives what a rate limiter does, for metrics and logs. {@code dev.resilience.ratelimit.micrometer.RateLimitMetrics}
 * is the Micrometer implementation.
 *
 * <p>Callbacks run on the deciding thread, on the hot path: they must be fast, must not block and
 * must not throw. Implementations must be thread-safe. Every method does nothing by default.
 */
public interface RateLimitListener {

    /** Called once when a limiter using this listener has been built. */
    default void onCreated(RateLimiter limiter) {
    }

    /** Called for every decision. */
    default void onDecision(String limiter, boolean allowed) {
    }

    /** Called after each Redis round trip, successful or not, with its duration. */
    default void onRedisCall(String limiter, long nanos, boolean success) {
    }

    /** Called once each time a limiter starts ({@code active}) or stops deciding from its fallback. */
    default void onFallback(String limiter, boolean active, FallbackMode mode) {
    }

    /** A listener that ignores everything. */
    static RateLimitListener none() {
        return NoListener.INSTANCE;
    }
}

/** The do-nothing listener. */
final class NoListener implements RateLimitListener {
    static final NoListener INSTANCE = new NoListener();

    private NoListener() {
    }
}
