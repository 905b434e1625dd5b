package dev.resilience.spring.boot.cache;

import dev.resilience.cache.CacheCodec;
import dev.resilience.cache.RedisCache;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.redis.RedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Spring's {@link CacheManager} over {@code resilience-cache}: each cache a {@link ResilienceSpringCache} over
 * a {@link RedisCache} on one shared Redis connection, set up from {@code resilience.cache.defaults.*} and
 * {@code resilience.cache.caches.<name>.*}. The caches of {@code cache-names} and {@code caches} are created
 * at start-up (so a bad setting fails start-up, naming its property); other names on first use while
 * {@code dynamic} is true. Registered by the starter's auto-configuration; closing it closes its caches.
 * Thread-safe.
 */
public final class ResilienceCacheManager implements CacheManager, AutoCloseable {

    private static final String PREFIX = "resilience.cache.";

    private final ResilienceCacheProperties properties;
    private final RedisConnection<String, byte[]> connection;
    private final CacheCodecs codecs;
    private final @Nullable ResilienceRegistry registry;
    private final ConcurrentHashMap<String, ResilienceSpringCache> caches = new ConcurrentHashMap<>();
    private final List<Consumer<RedisCache<?>>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;

    ResilienceCacheManager(ResilienceCacheProperties properties, RedisConnection<String, byte[]> connection, CacheCodecs codecs,
                           @Nullable ResilienceRegistry registry) {
        this.properties = properties;
        this.connection = connection;
        this.codecs = codecs;
        this.registry = registry;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "resilience-spring-cache-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        configure(RedisCache.builder("defaults", CacheCodec.bytes()), new Settings(null, "defaults")); // fails start-up on a bad default
        Set<String> names = new LinkedHashSet<>(properties.getCacheNames());
        names.addAll(properties.getCaches().keySet());
        try {
            names.forEach(this::create);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The cache of that name: created at start-up, or now with the defaults when {@code dynamic} is true.
     *
     * @param name the cache's name (letters, digits, '.', '_' or '-')
     * @return the cache, or null when it is unknown and {@code dynamic} is false
     */
    @Override
    public @Nullable Cache getCache(String name) {
        ResilienceSpringCache cache = caches.get(name);
        if (cache != null || !properties.isDynamic()) {
            return cache;
        }
        return create(name);
    }

    /**
     * The names of the caches created so far.
     *
     * @return the names, in no particular order
     */
    @Override
    public Collection<String> getCacheNames() {
        return List.copyOf(caches.keySet());
    }

    /**
     * The {@link RedisCache}s created so far.
     *
     * @return the caches
     */
    public List<RedisCache<?>> redisCaches() {
        List<RedisCache<?>> all = new ArrayList<>();
        caches.values().forEach(cache -> all.add(cache.getNativeCache()));
        return all;
    }

    /**
     * Calls {@code listener} for every cache, those created so far now and those created later when they are.
     *
     * @param listener called once per cache (e.g. to bind its metrics)
     */
    public void onCacheCreated(Consumer<RedisCache<?>> listener) {
        synchronized (listeners) {
            listeners.add(listener);
            caches.values().forEach(cache -> listener.accept(cache.getNativeCache()));
        }
    }

    /**
     * The worst health of the caches ({@link RedisCache#asHealthCheck()}: DEGRADED while a cache does without
     * Redis, never DOWN), each cache's status a detail; UP with no cache yet.
     *
     * @return the check
     */
    public HealthCheck asHealthCheck() {
        return () -> {
            HealthStatus worst = HealthStatus.UP;
            String message = null;
            Map<String, Object> details = new LinkedHashMap<>();
            for (ResilienceSpringCache cache : caches.values()) {
                HealthCheckResult result = cache.getNativeCache().asHealthCheck().check();
                details.put(cache.getName(), result.status().name());
                if (result.status().ordinal() > worst.ordinal()) {
                    message = cache.getName() + ": " + result.message();
                }
                worst = worst.worst(result.status());
            }
            details.put("redis", connection.description());
            return HealthCheckResult.of(worst, message).withDetails(details);
        };
    }

    /** Closes every cache and stops the executor of {@link ResilienceSpringCache#retrieve(Object)}; the connection is its own bean's. */
    @Override
    public void close() {
        caches.values().forEach(cache -> cache.getNativeCache().close());
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "ResilienceCacheManager{" + caches.keySet() + ", " + connection.description() + "}";
    }

    private ResilienceSpringCache create(String name) {
        synchronized (listeners) {
            ResilienceSpringCache existing = caches.get(name);
            if (existing != null) {
                return existing;
            }
            Settings settings = new Settings(properties.getCaches().get(name), name);
            CacheCodec<Object> codec = codecs.codec(settings.property("value-type", s -> s.getValueType()),
                    settings.value(ResilienceCacheProperties.CacheSettings::getValueType));
            RedisCache.Builder<Object> builder;
            try {
                builder = RedisCache.builder(name, codec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cache " + name + ": " + e.getMessage(), e);
            }
            boolean allowNulls = configure(builder, settings);
            ResilienceSpringCache cache = new ResilienceSpringCache(builder.redis(connection).build(), allowNulls, executor);
            caches.put(name, cache);
            listeners.forEach(listener -> listener.accept(cache.getNativeCache()));
            return cache;
        }
    }

    /** Applies the settings to the builder; answers allowNullValues. */
    private boolean configure(RedisCache.Builder<?> builder, Settings s) {
        s.apply("ttl", ResilienceCacheProperties.CacheSettings::getTtl, builder::ttl);
        s.apply("ttl-jitter", ResilienceCacheProperties.CacheSettings::getTtlJitter, builder::ttlJitter);
        s.apply("stale-while-revalidate", ResilienceCacheProperties.CacheSettings::getStaleWhileRevalidate, builder::staleWhileRevalidate);
        s.apply("stale-if-error", ResilienceCacheProperties.CacheSettings::getStaleIfError, builder::staleIfError);
        s.apply("early-refresh-beta", ResilienceCacheProperties.CacheSettings::getEarlyRefreshBeta, builder::earlyRefreshBeta);
        s.apply("lease", ResilienceCacheProperties.CacheSettings::getLease, builder::lease);
        s.apply("key-prefix", ResilienceCacheProperties.CacheSettings::getKeyPrefix, builder::keyPrefix);
        s.apply("namespace-version", ResilienceCacheProperties.CacheSettings::getNamespaceVersion, builder::namespaceVersion);
        Boolean allow = s.value(ResilienceCacheProperties.CacheSettings::getAllowNullValues);
        boolean allowNulls = allow == null || allow;
        if (allowNulls) {
            s.apply("null-value-ttl", ResilienceCacheProperties.CacheSettings::getNullValueTtl, builder::absentTtl);
        } else {
            builder.absentTtl(Duration.ZERO);
        }
        Boolean local = s.value(c -> c.getLocalTier().getEnabled());
        if (local != null && local) {
            Long maxEntries = s.value(c -> c.getLocalTier().getMaxEntries());
            Duration ttl = s.value(c -> c.getLocalTier().getTtl());
            String property = s.property("local-tier.max-entries", c -> c.getLocalTier().getMaxEntries()) + " / "
                    + s.property("local-tier.ttl", c -> c.getLocalTier().getTtl());
            Settings.wrap(property, () -> builder.localTier(maxEntries != null ? maxEntries : 10_000,
                    ttl != null ? ttl : Duration.ofSeconds(5)));
        }
        String breaker = s.value(ResilienceCacheProperties.CacheSettings::getCircuitBreaker);
        if (breaker != null) {
            String property = s.property("circuit-breaker", ResilienceCacheProperties.CacheSettings::getCircuitBreaker);
            if (registry == null) {
                throw new IllegalArgumentException(property + " names a circuit breaker, but there is no ResilienceRegistry bean");
            }
            Settings.wrap(property, () -> builder.circuitBreaker(registry.circuitBreaker(breaker)));
        }
        return allowNulls;
    }

    /** One cache's settings over the defaults, with the property each value came from. */
    private final class Settings {
        private final ResilienceCacheProperties.@Nullable CacheSettings own;
        private final String name;

        Settings(ResilienceCacheProperties.@Nullable CacheSettings own, String name) {
            this.own = own;
            this.name = name;
        }

        <T> @Nullable T value(java.util.function.Function<ResilienceCacheProperties.CacheSettings, @Nullable T> getter) {
            T mine = own == null ? null : getter.apply(own);
            return mine != null ? mine : getter.apply(properties.getDefaults());
        }

        String property(String key, java.util.function.Function<ResilienceCacheProperties.CacheSettings, @Nullable Object> getter) {
            return own != null && getter.apply(own) != null ? PREFIX + "caches." + name + "." + key : PREFIX + "defaults." + key;
        }

        <T> void apply(String key, java.util.function.Function<ResilienceCacheProperties.CacheSettings, @Nullable T> getter,
                       Consumer<T> setter) {
            T value = value(getter);
            if (value != null) {
                wrap(property(key, getter::apply), () -> setter.accept(value));
            }
        }

        static void wrap(String property, Runnable set) {
            try {
                set.run();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
            }
        }
    }
}
