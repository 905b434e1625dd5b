package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthStatus;
import dev.resilience.redis.RedisConnection;
import dev.resilience.testkit.CapturedLog;
import dev.resilience.testkit.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** redis-server killed while callers read and load through the cache, then restarted. */
class CacheOutageIT {

    @Test
    void redisKilledMidLoadCostsNoCallerAnExceptionAndTheCacheReturnsToRedisAfterRestart() throws Exception {
        AtomicInteger exceptions = new AtomicInteger();
        AtomicLong reads = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        String log;
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            // a generous command timeout: on a loaded test machine a 100 ms one would open the breaker now and then,
            // and this test counts the outage log lines
            RedisConnection<String, byte[]> connection = RedisCache.connect(RedisConnection.builder().uri(redis.uri())
                    .commandTimeout(Duration.ofSeconds(1)).probeInterval(Duration.ofMillis(100)));
            RedisCache<String> cache = RedisCache.builder("outage", CacheCodec.strings()).redis(connection)
                    .ttl(Duration.ofMinutes(5)).localTier(1_000, Duration.ofSeconds(1)).build();
            CacheLoader<String> database = key -> {
                if (killed.compareAndSet(false, true)) {
                    redis.kill(); // Redis dies while this load runs; its write to Redis must fail quietly
                }
                return "value of " + key;
            };
            log = CapturedLog.during(() -> {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    running.add(callers.submit(() -> {
                        int i = 0;
                        while (!stop.get()) {
                            String key = "k" + (i++ % 50);
                            try {
                                assertThat(cache.get(key, database)).isEqualTo("value of " + key);
                                reads.incrementAndGet();
                            } catch (Throwable e) {
                                exceptions.incrementAndGet();
                            }
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(20)).until(cache::redisOutage);
                long readsInOutage = reads.get();
                await().atMost(Duration.ofSeconds(20)).until(() -> reads.get() > readsInOutage + 100);
                assertThat(cache.asHealthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);

                redis.restart();
                await().atMost(Duration.ofSeconds(30)).until(() -> !cache.redisOutage() && keysIn(redis) > 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> cache.asHealthCheck().check().status() == HealthStatus.UP);
                stop.set(true);
                for (Future<?> thread : running) {
                    thread.get(30, TimeUnit.SECONDS);
                }
                cache.close();
                connection.close();
            });
        } finally {
            stop.set(true);
            callers.shutdownNow();
        }

        assertThat(exceptions).as("callers that got an exception").hasValue(0);
        assertThat(log.lines().filter(line -> line.contains("Cache outage cannot use Redis at"))).hasSize(1);
        assertThat(log.lines().filter(line -> line.contains("Cache outage is back on Redis at"))).hasSize(1);
    }

    private static long keysIn(RedisServerProcess redis) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().dbsize();
        } finally {
            client.shutdown();
        }
    }
}
