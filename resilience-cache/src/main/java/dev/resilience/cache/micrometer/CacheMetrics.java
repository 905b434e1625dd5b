package dev.resilience.cache.micrometer;

import dev.resilience.cache.CacheStats;
import dev.resilience.cache.RedisCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link RedisCache}'s counters to Micrometer, read from {@link CacheStats} when scraped (the
 * cache's hot path only increments adders):
 *
 * <ul>
 *   <li>{@code resilience.cache.gets} (counter; tags {@code cache}, {@code tier} = {@code local}/{@code redis},
 *       {@code result} = {@code hit}/{@code miss})</li>
 *   <li>{@code resilience.cache.loads} (counter; tags {@code cache}, {@code result} = {@code success}/{@code failure})
 *       and {@code resilience.cache.load.duration} (function timer; tag {@code cache})</li>
 *   <li>{@code resilience.cache.evictions} (counter; tags {@code cache}, {@code tier} = {@code local})</li>
 *   <li>{@code resilience.cache.redis.latency} (function timer; tag {@code cache}): every Redis call</li>
 *   <li>{@code resilience.cache.stale.served}, {@code resilience.cache.coalesced},
 *       {@code resilience.cache.writes.skipped}, {@code resilience.cache.redis.errors} (counters; tag {@code cache})</li>
 *   <li>{@code resilience.cache.local.size} (gauge) and {@code resilience.cache.redis.outage} (gauge, 1 while
 *       the breaker keeps the cache off Redis)</li>
 * </ul>
 *
 * <p>Tags are cache names and fixed words only (never keys). Thread-safe.
 */
public final class CacheMetrics implements MeterBinder {

    private final RedisCache<?> cache;

    /**
     * A binder for the counters and the local-tier size of {@code cache}; bind it to a registry to publish them.
     *
     * @param cache the cache to observe
     */
    public CacheMetrics(RedisCache<?> cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String name = cache.name();
        CacheStats stats = cache.stats();
        counter(registry, "resilience.cache.gets", stats, CacheStats::localHits, "reads", "tier", "local", "result", "hit");
        counter(registry, "resilience.cache.gets", stats, CacheStats::localMisses, "reads", "tier", "local", "result", "miss");
        counter(registry, "resilience.cache.gets", stats, CacheStats::redisHits, "reads", "tier", "redis", "result", "hit");
        counter(registry, "resilience.cache.gets", stats, CacheStats::redisMisses, "reads", "tier", "redis", "result", "miss");
        counter(registry, "resilience.cache.loads", stats, CacheStats::loads, "loader calls", "result", "success");
        counter(registry, "resilience.cache.loads", stats, CacheStats::loadFailures, "loader calls", "result", "failure");
        counter(registry, "resilience.cache.evictions", stats, CacheStats::localEvictions, "entries evicted for size", "tier", "local");
        counter(registry, "resilience.cache.stale.served", stats, CacheStats::staleServed, "stale values served");
        counter(registry, "resilience.cache.coalesced", stats, CacheStats::coalesced, "misses that waited for another load");
        counter(registry, "resilience.cache.writes.skipped", stats, CacheStats::writesSkipped, "writes skipped while Redis was unavailable");
        counter(registry, "resilience.cache.redis.errors", stats, CacheStats::redisErrors, "failed Redis calls");
        FunctionTimer.builder("resilience.cache.redis.latency", stats, CacheStats::redisCalls, CacheStats::redisNanos, TimeUnit.NANOSECONDS)
                .description("Redis calls of the cache").tag("cache", name).register(registry);
        FunctionTimer.builder("resilience.cache.load.duration", stats, s -> s.loads() + s.loadFailures(), CacheStats::loadNanos,
                        TimeUnit.NANOSECONDS)
                .description("loader calls of the cache").tag("cache", name).register(registry);
        Gauge.builder("resilience.cache.local.size", cache, RedisCache::localSize)
                .description("entries in the local tier").tag("cache", name).register(registry);
        Gauge.builder("resilience.cache.redis.outage", cache, c -> c.redisOutage() ? 1 : 0)
                .description("1 while the cache does without Redis").tag("cache", name).register(registry);
    }

    private void counter(MeterRegistry registry, String meter, CacheStats stats, ToDoubleFunction<CacheStats> value,
                         String description, String... tags) {
        FunctionCounter.builder(meter, stats, value).description(description).tag("cache", cache.name()).tags(tags).register(registry);
    }
}
