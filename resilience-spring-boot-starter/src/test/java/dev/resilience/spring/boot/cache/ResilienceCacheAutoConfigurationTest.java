package dev.resilience.spring.boot.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.cache.RedisCache;
import dev.resilience.core.HealthCheck;
import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import dev.resilience.spring.boot.health.HealthChecksContributor;
import dev.resilience.spring.boot.health.ResilienceHealthAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.cache.CacheMetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * When the cache auto-configuration registers its CacheManager and what it binds from {@code resilience.cache.*};
 * Redis is a port nobody listens on (the caches must start and answer without it) or the shared Redis with a
 * key prefix of the test's own.
 */
class ResilienceCacheAutoConfigurationTest {

    private static final String NO_REDIS = "spring.data.redis.port=1";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceCacheAutoConfiguration.class, CacheAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=127.0.0.1");

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Caching {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class OwnCacheManager {
        @Bean
        @Primary
        CacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Test
    void withCachingEnabledAndRedisConfiguredTheCacheManagerIsOursWithItsHealthCheck() {
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.cache-names=orders,customers").run(context -> {
            assertThat(context).hasSingleBean(CacheManager.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(ResilienceCacheManager.class);
            assertThat(context.getBean(CacheManager.class).getCacheNames()).containsExactlyInAnyOrder("orders", "customers");
            assertThat(context).hasBean("resilienceCacheHealthCheck");
            assertThat(context.getBean("resilienceCacheHealthCheck", HealthCheck.class).check().details()).containsKeys("orders", "customers");
        });
    }

    @Test
    void theManagerBacksOffWithoutCachingRedisTheModuleOrWhenTurnedOff() {
        runner.withPropertyValues(NO_REDIS).run(context -> assertThat(context).doesNotHaveBean(ResilienceCacheManager.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceCacheAutoConfiguration.class, CacheAutoConfiguration.class))
                .withUserConfiguration(Caching.class)
                .run(context -> assertThat(context).doesNotHaveBean(ResilienceCacheManager.class).hasSingleBean(CacheManager.class));
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS).withClassLoader(new FilteredClassLoader(RedisCache.class))
                .run(context -> assertThat(context).doesNotHaveBean(ResilienceCacheManager.class));
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ResilienceCacheManager.class));
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "spring.cache.type=none")
                .run(context -> assertThat(context.getBean(CacheManager.class)).isInstanceOf(NoOpCacheManager.class));
    }

    @Test
    void theApplicationsOwnCacheManagerWinsUnlessManagerIsAlways() {
        runner.withUserConfiguration(OwnCacheManager.class).withPropertyValues(NO_REDIS).run(context -> {
            assertThat(context).hasSingleBean(CacheManager.class).doesNotHaveBean(ResilienceCacheManager.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
        });
        runner.withUserConfiguration(OwnCacheManager.class).withPropertyValues(NO_REDIS, "resilience.cache.manager=always").run(context -> {
            assertThat(context).hasSingleBean(ResilienceCacheManager.class);
            assertThat(context.getBean(CacheManager.class)).as("the primary stays the default").isInstanceOf(ConcurrentMapCacheManager.class);
            assertThat(context.getBean("resilienceCacheManager")).isInstanceOf(ResilienceCacheManager.class);
        });
    }

    @Test
    void perCacheSettingsOverTheDefaultsAreBound() {
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS,
                "resilience.cache.defaults.ttl=2m",
                "resilience.cache.defaults.ttl-jitter=0.2",
                "resilience.cache.defaults.key-prefix=svc:",
                "resilience.cache.caches.orders.ttl=30s",
                "resilience.cache.caches.orders.null-value-ttl=5s",
                "resilience.cache.caches.orders.stale-if-error=1m",
                "resilience.cache.caches.orders.stale-while-revalidate=10s",
                "resilience.cache.caches.orders.early-refresh-beta=2",
                "resilience.cache.caches.orders.lease=2s",
                "resilience.cache.caches.orders.namespace-version=3",
                "resilience.cache.caches.orders.local-tier.enabled=true",
                "resilience.cache.caches.orders.local-tier.max-entries=500",
                "resilience.cache.caches.orders.local-tier.ttl=2s",
                "resilience.cache.caches.customers.allow-null-values=false",
                "resilience.cache.dynamic=false").run(context -> {
                    CacheManager manager = context.getBean(CacheManager.class);
                    RedisCache.Config orders = ((RedisCache<?>) manager.getCache("orders").getNativeCache()).config();
                    assertThat(orders.ttl()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(orders.ttlJitter()).isEqualTo(0.2);
                    assertThat(orders.keyPrefix()).isEqualTo("svc:");
                    assertThat(orders.absentTtl()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(orders.staleIfError()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(orders.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(orders.earlyRefreshBeta()).isEqualTo(2.0);
                    assertThat(orders.lease()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(orders.namespaceVersion()).isEqualTo(3);
                    assertThat(orders.localMaxEntries()).isEqualTo(500);
                    assertThat(orders.localTtl()).contains(Duration.ofSeconds(2));
                    ResilienceSpringCache customers = (ResilienceSpringCache) manager.getCache("customers");
                    assertThat(customers.isAllowNullValues()).isFalse();
                    assertThat(customers.getNativeCache().config().ttl()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(customers.getNativeCache().config().absentTtl()).isEqualTo(Duration.ZERO);
                    assertThat(customers.getNativeCache().config().localTtl()).isEqualTo(Optional.empty());
                    assertThatThrownBy(() -> customers.put("k", null)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("not allow null values");
                    assertThat(manager.getCache("unknown")).as("dynamic=false").isNull();
                });
    }

    @Test
    void aBadValueAnUnknownKeyOrAMalformedValueFailsStartUpNamingTheProperty() {
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.caches.orders.ttl-jitter=0.9")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("resilience.cache.caches.orders.ttl-jitter: ttlJitter must be between 0 and 0.5, was 0.9"));
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.defaults.lease=5m")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("resilience.cache.defaults.lease: lease must be between"));
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.caches.orders.tll=1m")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("resilience.cache.caches.orders.tll"));
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.caches.orders.ttl=soon")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("resilience.cache.caches.orders.ttl"));
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.redis.command-timeout=0s")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("resilience.cache.redis.command-timeout: commandTimeout must be"));
        runner.withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.cache-names=or ders")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("cache or ders: name must be"));
    }

    @Test
    void aCircuitBreakerOfTheRegistryCanGuardRedis() {
        runner.withConfiguration(AutoConfigurations.of(ResilienceCoreAutoConfiguration.class)).withUserConfiguration(Caching.class)
                .withPropertyValues(NO_REDIS, "resilience.circuitbreaker.instances.cache-redis.failure-rate-threshold=25",
                        "resilience.cache.caches.orders.circuit-breaker=cache-redis")
                .run(context -> {
                    RedisCache<?> orders = (RedisCache<?>) context.getBean(CacheManager.class).getCache("orders").getNativeCache();
                    assertThat(orders.circuitBreaker().name()).isEqualTo("cache-redis");
                });
    }

    @Test
    void keysAreStringsByAStableRule() {
        assertThat(CacheKeys.toString("c", "order:7")).isEqualTo("order:7");
        assertThat(CacheKeys.toString("c", 7L)).isEqualTo("7");
        assertThat(CacheKeys.toString("c", new SimpleKey(7, "EUR"))).isEqualTo("SimpleKey [7, EUR]");
        assertThat(CacheKeys.toString("c", SimpleKey.EMPTY)).isEqualTo("SimpleKey []");
        assertThat(CacheKeys.toString("c", UUID.fromString("00000000-0000-0000-0000-000000000007")))
                .isEqualTo("00000000-0000-0000-0000-000000000007");
        assertThatThrownBy(() -> CacheKeys.toString("orders", new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders").hasMessageContaining("java.lang.Object").hasMessageContaining("toString()");
    }

    @Test
    void readsAndWritesGoThroughRedisAndAreCountedOnceInTheResilienceMeters() {
        String prefix = "starter-cache-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
                .withUserConfiguration(Caching.class)
                .withPropertyValues("spring.data.redis.port=6379", "resilience.cache.defaults.key-prefix=" + prefix,
                        "resilience.cache.cache-names=orders")
                .run(context -> {
                    Cache orders = context.getBean(CacheManager.class).getCache("orders");
                    assertThat(orders.get("1")).isNull();
                    orders.put("1", "one");
                    orders.put("2", null);
                    assertThat(orders.get("1").get()).isEqualTo("one");
                    assertThat(orders.get("2")).as("a cached null").isNotNull();
                    assertThat(orders.get("2").get()).isNull();
                    assertThat(orders.get("3", () -> "three")).isEqualTo("three");
                    assertThat(orders.get("3", () -> "not called")).isEqualTo("three");
                    assertThat(orders.retrieve("3").get()).isInstanceOf(Cache.ValueWrapper.class);
                    assertThat(orders.retrieve("4", () -> java.util.concurrent.CompletableFuture.completedFuture("four")).get()).isEqualTo("four");
                    orders.evict("1");
                    assertThat(orders.get("1")).isNull();
                    assertThatThrownBy(() -> orders.get("5", () -> {
                        throw new java.io.IOException("database down");
                    })).isInstanceOf(Cache.ValueRetrievalException.class).hasRootCauseInstanceOf(java.io.IOException.class);

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("resilience.cache.gets").tag("cache", "orders").tag("tier", "redis").tag("result", "hit")
                            .functionCounter().count()).as("get 1, get 2 twice, get 3 with a loader, retrieve 3").isEqualTo(5.0);
                    assertThat(meters.find("cache.gets").meters()).as("Spring Boot's cache metrics do not count these caches again").isEmpty();
                    orders.clear();
                });
    }

    /** Annotated methods: a CompletableFuture one (Spring 6.1's async caching) and one that returns null. */
    static class Lookups {
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        @org.springframework.cache.annotation.Cacheable("async")
        public java.util.concurrent.CompletableFuture<String> async(String id) {
            calls.incrementAndGet();
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> "value-" + id);
        }

        @org.springframework.cache.annotation.Cacheable(cacheNames = "nulls", sync = true)
        public String none(String id) {
            calls.incrementAndGet();
            return null;
        }

        public int calls() {
            return calls.get();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class WithLookups {
        @Bean
        Lookups lookups() {
            return new Lookups();
        }
    }

    @Test
    void aCompletableFutureMethodAndANullResultAreCachedThroughTheAnnotations() {
        String prefix = "starter-cache-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        runner.withUserConfiguration(WithLookups.class)
                .withPropertyValues("spring.data.redis.port=6379", "resilience.cache.defaults.key-prefix=" + prefix)
                .run(context -> {
                    Lookups lookups = context.getBean(Lookups.class);
                    assertThat(lookups.async("1").get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("value-1");
                    assertThat(lookups.async("1").get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("value-1");
                    assertThat(lookups.calls()).as("the second call answered from the cache").isEqualTo(1);

                    assertThat(lookups.none("x")).isNull();
                    assertThat(lookups.none("x")).isNull();
                    assertThat(lookups.calls()).as("the null is cached").isEqualTo(2);
                    context.getBean(CacheManager.class).getCacheNames().forEach(name -> context.getBean(CacheManager.class).getCache(name).clear());
                });
    }

    /** Sync-cached methods that throw (a checked and an unchecked exception) or return null. */
    static class Failing {
        @org.springframework.cache.annotation.Cacheable(cacheNames = "failing", sync = true)
        public String checked(String id) throws java.io.IOException {
            throw new java.io.IOException("database down for " + id);
        }

        @org.springframework.cache.annotation.Cacheable(cacheNames = "failing", sync = true)
        public String unchecked(String id) {
            throw new IllegalStateException("no order " + id);
        }

        @org.springframework.cache.annotation.Cacheable(cacheNames = "strict", sync = true)
        public String none(String id) {
            return null;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class WithFailing {
        @Bean
        Failing failing() {
            return new Failing();
        }
    }

    @Test
    void whatASyncCacheableMethodThrowsReachesTheCallerUnchangedAndLoadingANullWhereNullsAreRefusedFails() {
        String prefix = "starter-cache-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        runner.withUserConfiguration(WithFailing.class)
                .withPropertyValues("spring.data.redis.port=6379", "resilience.cache.defaults.key-prefix=" + prefix,
                        "resilience.cache.caches.strict.allow-null-values=false")
                .run(context -> {
                    Failing failing = context.getBean(Failing.class);
                    assertThatThrownBy(() -> failing.checked("1")).isExactlyInstanceOf(java.io.IOException.class)
                            .hasMessage("database down for 1");
                    assertThatThrownBy(() -> failing.unchecked("2")).isExactlyInstanceOf(IllegalStateException.class)
                            .hasMessage("no order 2");
                    assertThatThrownBy(() -> failing.none("3")).isExactlyInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("not allow null values");
                    CacheManager manager = context.getBean(CacheManager.class);
                    assertThat(manager.getCache("failing").get("1")).as("a failure is not cached").isNull();
                    assertThat(manager.getCache("strict").get("3")).as("nor a refused null").isNull();
                    manager.getCacheNames().forEach(name -> manager.getCache(name).clear());
                });
    }

    /** A value stored as JSON. */
    public record Item(String name, int quantity) {
    }

    @Test
    void aCacheWithAValueTypeStoresJsonThroughJackson() {
        String prefix = "starter-cache-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        runner.withUserConfiguration(Caching.class)
                .withPropertyValues("spring.data.redis.port=6379", "resilience.cache.defaults.key-prefix=" + prefix,
                        "resilience.cache.caches.items.value-type=" + Item.class.getName())
                .run(context -> {
                    CacheManager manager = context.getBean(CacheManager.class);
                    manager.getCache("items").put(7, new Item("bolt", 3));
                    RedisCache<String> fresh = RedisCache.builder("items", dev.resilience.cache.CacheCodec.strings())
                            .redisUri("redis://127.0.0.1:6379").keyPrefix(prefix).build();
                    try (fresh) {
                        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)) // it connects in the background
                                .untilAsserted(() -> assertThat(fresh.getIfPresent("7")).as("JSON in Redis")
                                        .contains("{\"name\":\"bolt\",\"quantity\":3}"));
                    }
                    assertThat(manager.getCache("items").get(7, Item.class)).isEqualTo(new Item("bolt", 3));
                    manager.getCache("items").clear();
                });
    }

    @Test
    void theCachesHealthIsAComponentOfTheResilienceContributor() {
        runner.withConfiguration(AutoConfigurations.of(ResilienceHealthAutoConfiguration.class))
                .withUserConfiguration(Caching.class).withPropertyValues(NO_REDIS, "resilience.cache.cache-names=orders")
                .run(context -> assertThat(context.getBean("resilienceHealthContributor", HealthChecksContributor.class)
                        .getContributor("resilienceCacheHealthCheck")).isNotNull());
    }
}
