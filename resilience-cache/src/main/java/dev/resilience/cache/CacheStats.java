package dev.resilience.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link RedisCache} since it was built, per tier: what the Micrometer binder
 * ({@link dev.resilience.cache.micrometer.CacheMetrics}) and the status endpoint report. Counting allocates
 * nothing. Thread-safe; each getter reads a live value.
 */
public final class CacheStats {

    final LongAdder localHits = new LongAdder();
    final LongAdder localMisses = new LongAdder();
    final LongAdder localEvictions = new LongAdder();
    final LongAdder redisHits = new LongAdder();
    final LongAdder redisMisses = new LongAdder();
    final LongAdder redisErrors = new LongAdder();
    final LongAdder redisCalls = new LongAdder();
    final LongAdder redisNanos = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder loadFailures = new LongAdder();
    final LongAdder loadNanos = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder earlyRefreshes = new LongAdder();
    final LongAdder writesSkipped = new LongAdder();

    CacheStats() {
    }

    /**
     * Reads answered by a fresh value of the local tier.
     *
     * @return the count since the cache was built
     */
    public long localHits() {
        return localHits.sum();
    }

    /**
     * Reads the local tier could not answer with a fresh value (0 without a local tier).
     *
     * @return the count since the cache was built
     */
    public long localMisses() {
        return localMisses.sum();
    }

    /**
     * Entries the local tier dropped for its size bound.
     *
     * @return the count since the cache was built
     */
    public long localEvictions() {
        return localEvictions.sum();
    }

    /**
     * Reads answered by a fresh value from Redis.
     *
     * @return the count since the cache was built
     */
    public long redisHits() {
        return redisHits.sum();
    }

    /**
     * Reads that went to Redis and found no fresh value there (or could not ask it).
     *
     * @return the count since the cache was built
     */
    public long redisMisses() {
        return redisMisses.sum();
    }

    /**
     * Redis calls that failed or timed out (each counted by the circuit breaker).
     *
     * @return the count since the cache was built
     */
    public long redisErrors() {
        return redisErrors.sum();
    }

    /**
     * Redis calls made (successful or not).
     *
     * @return the count since the cache was built
     */
    public long redisCalls() {
        return redisCalls.sum();
    }

    /**
     * Total time of the Redis calls, in nanoseconds.
     *
     * @return total nanoseconds since the cache was built
     */
    public long redisNanos() {
        return redisNanos.sum();
    }

    /**
     * Loader calls that returned (a value or null).
     *
     * @return the count since the cache was built
     */
    public long loads() {
        return loads.sum();
    }

    /**
     * Loader calls that threw.
     *
     * @return the count since the cache was built
     */
    public long loadFailures() {
        return loadFailures.sum();
    }

    /**
     * Total time of the loader calls, in nanoseconds.
     *
     * @return total nanoseconds since the cache was built
     */
    public long loadNanos() {
        return loadNanos.sum();
    }

    /**
     * Misses that waited for a load already running on this instance instead of calling the loader.
     *
     * @return the count since the cache was built
     */
    public long coalesced() {
        return coalesced.sum();
    }

    /**
     * Stale values served (stale-while-revalidate, stale-if-error).
     *
     * @return the count since the cache was built
     */
    public long staleServed() {
        return staleServed.sum();
    }

    /**
     * Background refreshes started before expiry (early refresh) or for a stale value.
     *
     * @return the count since the cache was built
     */
    public long earlyRefreshes() {
        return earlyRefreshes.sum();
    }

    /**
     * Writes (puts, invalidations, clears) not sent to Redis because it was unavailable.
     *
     * @return the count since the cache was built
     */
    public long writesSkipped() {
        return writesSkipped.sum();
    }
}
