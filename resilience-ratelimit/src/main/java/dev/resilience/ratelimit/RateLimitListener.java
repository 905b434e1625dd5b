package dev.resilience.ratelimit;

/**
 * Receives what a rate limiter does, for metrics and logs. {@code dev.resilience.ratelimit.micrometer.RateLimitMetrics}
 * is the Micrometer implementation.
 *
 * <p>Callbacks run on the deciding thread, on the hot path: they must be fast, must not block and
 * must not throw. Implementations must be thread-safe. Every method does nothing by default.
 */
public interface RateLimitListener {

    /**
     * Called once when a limiter using this listener has been built.
     *
     * @param limiter the new limiter
     */
    default void onCreated(RateLimiter limiter) {
    }

    /**
     * Called for every decision.
     *
     * @param limiter the deciding limiter's name
     * @param allowed whether the request was admitted
     */
    default void onDecision(String limiter, boolean allowed) {
    }

    /**
     * Called after each Redis round trip, successful or not, with its duration.
     *
     * @param limiter the limiter's name
     * @param nanos the round trip's duration in nanoseconds
     * @param success false when the call failed or timed out
     */
    default void onRedisCall(String limiter, long nanos, boolean success) {
    }

    /**
     * Called once each time a limiter starts ({@code active}) or stops deciding from its fallback.
     *
     * @param limiter the limiter's name
     * @param active true when the fallback starts, false when Redis decides again
     * @param mode how the limiter decides meanwhile
     */
    default void onFallback(String limiter, boolean active, FallbackMode mode) {
    }

    /** {@return a listener that ignores everything} */
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
