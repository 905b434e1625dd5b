package dev.resilience.spring.boot.cache;

import dev.resilience.cache.RedisCache;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A Spring {@link Cache} over a {@link RedisCache}: what {@code @Cacheable}, {@code @CachePut} and
 * {@code @CacheEvict} use when the {@link ResilienceCacheManager} is the application's cache manager.
 *
 * <ul>
 *   <li>{@link #get(Object)} reads the local tier, then Redis ({@link RedisCache#lookup(String)}); while Redis
 *       is unavailable it answers "not cached" (or a local-tier value), never an exception, so the method runs.</li>
 *   <li>{@link #get(Object, Callable)} ({@code @Cacheable(sync = true)}) is {@link RedisCache#get}: concurrent
 *       misses for one key on one instance call the method once, across instances the Redis lease bounds it,
 *       and the stale windows apply. What the method throws reaches the caller in a
 *       {@link Cache.ValueRetrievalException}, which Spring's interceptor unwraps.</li>
 *   <li>{@link #retrieve(Object, Supplier)} (a {@code CompletableFuture} method with {@code sync = true}) is
 *       {@link RedisCache#getAsync}; {@link #retrieve(Object)} looks up on the manager's executor.</li>
 *   <li>Nulls follow Spring's {@code allowNullValues}: when allowed, a null is cached as an absence for the
 *       cache's {@code null-value-ttl}; when not, putting or loading a null fails with an
 *       {@link IllegalArgumentException}, as in Spring's own caches.</li>
 *   <li>{@link #put}, {@link #evict} and {@link #clear} reach every instance (the others' local tiers within
 *       the local tier's TTL); while Redis is down they are skipped and counted, never thrown.
 *       {@link #putIfAbsent} and {@link #evictIfPresent} are Spring's defaults (not atomic; the latter answers
 *       false).</li>
 *   <li>Keys are strings made by a stable rule: see {@link CacheKeys}.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ResilienceSpringCache implements Cache {

    private final RedisCache<Object> cache;
    private final boolean allowNullValues;
    private final Executor executor;

    ResilienceSpringCache(RedisCache<Object> cache, boolean allowNullValues, Executor executor) {
        this.cache = cache;
        this.allowNullValues = allowNullValues;
        this.executor = executor;
    }

    /**
     * The cache's name.
     *
     * @return the name the cache was created with
     */
    @Override
    public String getName() {
        return cache.name();
    }

    /**
     * The underlying cache.
     *
     * @return the {@link RedisCache} (for its stats, health check and settings)
     */
    @Override
    public RedisCache<Object> getNativeCache() {
        return cache;
    }

    /**
     * Whether nulls are cached.
     *
     * @return Spring's {@code allowNullValues} of this cache
     */
    public boolean isAllowNullValues() {
        return allowNullValues;
    }

    /**
     * The cached value of {@code key}, without calling anything.
     *
     * @param key the Spring cache key
     * @return a wrapper of the value (of null for a cached null), or null when nothing fresh is cached
     */
    @Override
    public @Nullable ValueWrapper get(Object key) {
        Optional<RedisCache.Cached<Object>> found = cache.lookup(key(key));
        if (found.isEmpty()) {
            return null;
        }
        Object value = found.get().value();
        return value == null && !allowNullValues ? null : new SimpleValueWrapper(value);
    }

    /**
     * The cached value of {@code key}, checked against {@code type}.
     *
     * @param key  the Spring cache key
     * @param type the type the value must have, or null for any
     * @param <T>  the value type
     * @return the value, or null when nothing (or a null) is cached
     * @throws IllegalStateException when the cached value is not of that type
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
        ValueWrapper wrapper = get(key);
        Object value = wrapper == null ? null : wrapper.get();
        if (value != null && type != null && !type.isInstance(value)) {
            throw new IllegalStateException("Cached value is not of required type [" + type.getName() + "]: " + value);
        }
        return (T) value;
    }

    /**
     * The value of {@code key}, loaded by {@code valueLoader} once per key and instance however many callers
     * miss together ({@code @Cacheable(sync = true)}).
     *
     * @param key         the Spring cache key
     * @param valueLoader computes the value on a miss
     * @param <T>         the value type
     * @return the value (null when the loader returned null)
     * @throws Cache.ValueRetrievalException when the loader threw (or returned null while nulls are not allowed)
     */
    @Override
    @SuppressWarnings({"unchecked", "NullAway"}) // RedisCache is not @NullMarked: its loaders may return null
    public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
        Objects.requireNonNull(valueLoader, "valueLoader");
        return (T) cache.get(key(key), k -> {
            try {
                return checkNull(valueLoader.call());
            } catch (Exception e) {
                throw new ValueRetrievalException(key, valueLoader, e);
            }
        });
    }

    /**
     * Looks {@code key} up on the manager's executor (Redis is asked without blocking the caller).
     *
     * @param key the Spring cache key
     * @return a future of a {@link ValueWrapper} (of null for a cached null), or of null when nothing is cached
     */
    @Override
    public CompletableFuture<?> retrieve(Object key) {
        String redisKey = key(key);
        return CompletableFuture.supplyAsync(() -> {
            Optional<RedisCache.Cached<Object>> found = cache.lookup(redisKey);
            return found.isEmpty() || found.get().value() == null && !allowNullValues ? null
                    : new SimpleValueWrapper(found.get().value());
        }, executor);
    }

    /**
     * The value of {@code key}, loaded by {@code valueLoader} once per key and instance on a miss.
     *
     * @param key         the Spring cache key
     * @param valueLoader starts computing the value on a miss
     * @param <T>         the value type
     * @return a future of the value; it fails as the loader's future failed
     */
    @Override
    @SuppressWarnings({"unchecked", "NullAway"}) // RedisCache is not @NullMarked: its loaders may complete with null
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        Objects.requireNonNull(valueLoader, "valueLoader");
        return (CompletableFuture<T>) cache.getAsync(key(key), k -> valueLoader.get().thenApply(this::checkNull))
                .toCompletableFuture();
    }

    /**
     * Stores {@code value} on Redis and in the local tier, and tells the other instances to drop their copy;
     * skipped (and counted) while Redis is unavailable.
     *
     * @param key   the Spring cache key
     * @param value the value; null caches an absence when nulls are allowed
     * @throws IllegalArgumentException when the value is null and nulls are not allowed
     */
    @Override
    @SuppressWarnings("NullAway") // RedisCache.put takes null to cache an absence; the module is not @NullMarked yet
    public void put(Object key, @Nullable Object value) {
        cache.put(key(key), checkNull(value));
    }

    /**
     * Removes {@code key} on Redis and from every instance's local tier.
     *
     * @param key the Spring cache key
     */
    @Override
    public void evict(Object key) {
        cache.invalidate(key(key));
    }

    /** Empties the cache on every instance (a new key generation; nothing is scanned). */
    @Override
    public void clear() {
        cache.clear();
    }

    @Override
    public String toString() {
        return "ResilienceSpringCache{" + cache + "}";
    }

    private String key(Object key) {
        return CacheKeys.toString(cache.name(), key);
    }

    private <T extends @Nullable Object> T checkNull(T value) {
        if (value == null && !allowNullValues) {
            throw new IllegalArgumentException("Cache '" + cache.name() + "' is configured to not allow null values but null was provided");
        }
        return value;
    }
}
