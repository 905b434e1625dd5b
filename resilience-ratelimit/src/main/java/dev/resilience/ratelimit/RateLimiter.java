package dev.resilience.ratelimit;

import dev.resilience.core.HealthCheck;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a request identified by a key (a client IP, a user, an API key) is within the
 * limits of a {@link RateLimitPolicy}, and consumes the permits when it is.
 *
 * <p>Implementations: {@link InMemoryRateLimiter} (one process) and {@link RedisRateLimiter} (shared
 * by every instance, with an in-memory fallback). Implementations are thread-safe and never throw for
 * an unavailable backend: they decide with their fallback instead.
 */
public interface RateLimiter extends AutoCloseable {

    /** {@return the limiter's name, used in logs and metric tags} */
    String name();

    /** {@return the limits this limiter applies to every key} */
    RateLimitPolicy policy();

    /**
     * Tries to take {@code permits} for {@code key} from every limit of the policy at once.
     * {@code permits == 0} only looks: it tells whether one permit would be admitted and consumes
     * nothing.
     *
     * @param key what is counted, with its type prefix (such as {@code ip:10.0.0.7}); over-long keys are hashed
     * @param permits how many to take, 0 to only look
     * @return the decision: admitted or not, the permits left and when to retry
     * @throws IllegalArgumentException when the key is null or empty, permits are negative, or more
     *     than the smallest capacity of the policy (such a request could never be admitted)
     */
    Decision tryAcquire(String key, int permits);

    /**
     * Tries to take one permit for {@code key}; see {@link #tryAcquire(String, int)}.
     *
     * @param key what is counted, with its type prefix
     * @return the decision, as for {@link #tryAcquire(String, int)}
     */
    default Decision tryAcquire(String key) {
        return tryAcquire(key, 1);
    }

    /**
     * Tries to take one permit and answers only whether it was admitted. Implementations make this
     * the cheapest call (the in-memory limiter allocates nothing for an existing key).
     *
     * @param key what is counted, with its type prefix
     * @return true when the permit was taken
     */
    default boolean tryAcquirePermission(String key) {
        return tryAcquire(key, 1).allowed();
    }

    /**
     * {@link #tryAcquire(String, int)} without blocking the caller. The stage never completes
     * exceptionally because the backend is unavailable; it completes exceptionally only for the
     * invalid arguments {@code tryAcquire} rejects.
     *
     * @param key what is counted, with its type prefix
     * @param permits how many to take, 0 to only look
     * @return the decision, once made
     */
    CompletionStage<Decision> tryAcquireAsync(String key, int permits);

    /**
     * {@link #tryAcquireAsync(String, int)} for one permit.
     *
     * @param key what is counted, with its type prefix
     * @return the decision, once made
     */
    default CompletionStage<Decision> tryAcquireAsync(String key) {
        return tryAcquireAsync(key, 1);
    }

    /**
     * Takes {@code permits} from every limit of the key whether or not they fit: a penalty (a token
     * bucket is at most emptied; window counts may go above the quota).
     *
     * @param key what is counted, with its type prefix
     * @param permits how many to take, 0 or more
     * @throws IllegalArgumentException when the key is null or empty or permits are negative
     */
    void penalize(String key, int permits);

    /**
     * Gives back {@code permits} taken earlier (a request that turned out not to count): counts never
     * fall below zero, a bucket never fills beyond its capacity.
     *
     * @param key what is counted, with its type prefix
     * @param permits how many to give back, 0 or more
     * @throws IllegalArgumentException when the key is null or empty or permits are negative
     */
    void refund(String key, int permits);

    /**
     * Forgets everything counted for {@code key} (for example after a successful login).
     *
     * @param key what is counted, with its type prefix
     */
    void reset(String key);

    /** {@return the limiter's health: UP, or DEGRADED while it decides from a fallback} */
    HealthCheck asHealthCheck();

    /** Releases what the limiter owns (connections it created). Idempotent. */
    @Override
    void close();
}
