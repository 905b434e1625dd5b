package dev.resilience.cache;

/**
 * Loads the value of a key on a miss (from the database, a remote service, ...). Returning {@code null}
 * means "no such value": the absence is cached for the cache's {@code absentTtl} when that is set. What it
 * throws reaches the caller unchanged, unless a stale value may be served instead
 * ({@code staleIfError}).
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface CacheLoader<V> {

    /**
     * The value of {@code key}, or null when there is none.
     *
     * @param key the key that missed, never null
     * @return the value, or null to cache an absence for the cache's absentTtl
     * @throws Exception any failure: it reaches the caller (or a stale value is served under staleIfError)
     */
    V load(String key) throws Exception;
}
