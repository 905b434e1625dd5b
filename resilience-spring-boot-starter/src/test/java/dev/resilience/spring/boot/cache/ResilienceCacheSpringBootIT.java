package dev.resilience.spring.boot.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.cache.RedisCache;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Two Spring Boot applications (two instances of one service) with {@code @Cacheable} methods on the starter's
 * CacheManager, sharing a {@code redis-server} the test starts and kills: single flight for
 * {@code @Cacheable(sync = true)}, a {@code @CacheEvict} on one instance seen by the other within the local
 * tier's TTL (the module's stated bound), and answers without an exception while Redis is down, then recovery.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceCacheSpringBootIT {

    private static final Duration LOCAL_TTL = Duration.ofSeconds(2);
    private static RedisServerProcess redis;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        String prefix = "starter-cache-it:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        first = instance(prefix);
        second = instance(prefix);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {first, second, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    private static ConfigurableApplicationContext instance(String prefix) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port(),
                "resilience.pool.enabled=false", "resilience.backup.enabled=false", "resilience.ratelimit.enabled=false",
                "resilience.cache.defaults.key-prefix=" + prefix,
                "resilience.cache.defaults.ttl=10m",
                "resilience.cache.defaults.local-tier.enabled=true",
                "resilience.cache.defaults.local-tier.ttl=" + LOCAL_TTL.toMillis() + "ms",
                "resilience.cache.cache-names=orders").run();
    }

    @Test
    @Order(1)
    void manyConcurrentCallersOfASyncCacheableMethodCallItOnce() throws Exception {
        Orders orders = first.getBean(Orders.class);
        int callers = 64;
        CountDownLatch ready = new CountDownLatch(callers);
        orders.gate(ready);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    return orders.findSync(100);
                }));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("order-100-v1");
            }
        } finally {
            pool.shutdownNow();
            orders.gate(null);
        }
        assertThat(orders.calls(100)).as("the method ran once for %d concurrent callers", callers).isEqualTo(1);
        assertThat(second.getBean(Orders.class).findSync(100)).as("the other instance reads Redis").isEqualTo("order-100-v1");
        assertThat(second.getBean(Orders.class).calls(100)).isZero();
    }

    @Test
    @Order(2)
    void anEvictOnOneInstanceIsSeenByTheOtherWithinTheLocalTiersTtl() {
        Orders a = first.getBean(Orders.class);
        Orders b = second.getBean(Orders.class);
        assertThat(a.find(7)).isEqualTo("order-7-v1");
        assertThat(b.find(7)).as("b's local tier now holds v1").isEqualTo("order-7-v1");
        assertThat(a.find(7)).isEqualTo("order-7-v1");
        assertThat(a.calls(7)).isEqualTo(1);

        long start = System.nanoTime();
        a.update(7); // the database row changes, @CacheEvict drops the entry everywhere
        a.nextVersion();
        b.nextVersion();

        await().atMost(LOCAL_TTL.plusMillis(500)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(b.find(7)).isEqualTo("order-7-v2"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(LOCAL_TTL.plusMillis(500));
        assertThat(a.find(7)).isEqualTo("order-7-v2");
    }

    @Test
    @Order(3)
    void whileRedisIsDownCacheableMethodsKeepAnsweringThenTheCacheRecovers() throws Exception {
        Orders orders = first.getBean(Orders.class);
        HealthCheck health = first.getBean("resilienceCacheHealthCheck", HealthCheck.class);
        String one = orders.find(1);
        assertThat(health.check().status()).isEqualTo(HealthStatus.UP);

        redis.kill();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(orders.find(1));     // from the local tier while it lasts, then the method
            answers.add(orders.find(2 + i)); // never cached: the method
        }
        assertThat(answers).as("every call answered, none threw").hasSize(40).doesNotContainNull();
        assertThat(answers).contains(one, orders.find(21));
        assertThat(orders.calls(1)).as("order 1 came from the local tier").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(health.check().status()).isEqualTo(HealthStatus.DEGRADED));
        RedisCache<?> native1 = (RedisCache<?>) first.getBean(CacheManager.class).getCache("orders").getNativeCache();

        redis.restart();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            orders.find(500);
            assertThat(native1.redisOutage()).isFalse();
            assertThat(health.check().status()).isEqualTo(HealthStatus.UP);
        });
        Orders other = second.getBean(Orders.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            orders.find(600);
            assertThat(other.find(600)).isEqualTo(orders.find(600));
            assertThat(other.calls(600)).as("written to Redis again: the other instance reads it from there").isZero();
        });
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
    @EnableCaching
    static class App {
        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    /** Stands for a repository: counts how often each order is read from "the database". A proxy: use its methods, not its fields. */
    static class Orders {
        final Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        final AtomicInteger version = new AtomicInteger(1);
        volatile CountDownLatch gate;

        @Cacheable("orders")
        public String find(int id) {
            calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return "order-" + id + "-v" + version.get();
        }

        @Cacheable(cacheNames = "orders", key = "'sync:' + #id", sync = true)
        public String findSync(int id) throws InterruptedException {
            calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            CountDownLatch g = gate;
            if (g != null) {
                g.await(5, TimeUnit.SECONDS); // every caller has arrived before the one load returns
            }
            return "order-" + id + "-v" + version.get();
        }

        @CacheEvict("orders")
        public void update(int id) {
        }

        public void gate(CountDownLatch latch) {
            gate = latch;
        }

        public void nextVersion() {
            version.incrementAndGet();
        }

        public int calls(int id) {
            AtomicInteger n = calls.get(id);
            return n == null ? 0 : n.get();
        }
    }
}
