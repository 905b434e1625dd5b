package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.redis.RedisConnection;
import dev.resilience.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The README's stampede promise against a real redis-server: 1,000 concurrent misses for one key, spread
 * over 3 cache instances (3 connections, as 3 service instances would have), call the loader once: each
 * instance lets one caller through (single flight), and the Redis lease lets one instance load while the
 * others wait for its value.
 */
class CacheStampedeIT {

    @Test
    void aThousandConcurrentMissesAcrossThreeInstancesCallTheLoaderOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        CacheLoader<String> database = key -> {
            loads.incrementAndGet();
            Thread.sleep(200); // a slow query: every miss arrives while it runs
            return "order " + key;
        };
        ExecutorService callers = Executors.newFixedThreadPool(64);
        List<RedisConnection<String, byte[]>> connections = new ArrayList<>();
        List<RedisCache<String>> instances = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            for (int i = 0; i < 3; i++) {
                // a generous command timeout: on a loaded test machine a 100 ms one could fail a lease call
                RedisConnection<String, byte[]> connection = RedisCache.connect(RedisConnection.builder().uri(redis.uri())
                        .commandTimeout(Duration.ofSeconds(2)));
                connections.add(connection);
                instances.add(RedisCache.builder("orders", CacheCodec.strings()).redis(connection).lease(Duration.ofSeconds(10)).build());
            }
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                RedisCache<String> instance = instances.get(i % 3);
                results.add(callers.submit(() -> {
                    start.await();
                    return instance.get("42", database);
                }));
            }
            start.countDown();
            for (Future<String> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("order 42");
            }

            assertThat(loads).as("loader calls for 1,000 concurrent misses on 3 instances").hasValue(1);
            assertThat(instances).allSatisfy(instance -> assertThat(instance.stats().redisErrors()).isZero());
        } finally {
            callers.shutdownNow();
            instances.forEach(RedisCache::close);
            connections.forEach(RedisConnection::close);
        }
    }
}
