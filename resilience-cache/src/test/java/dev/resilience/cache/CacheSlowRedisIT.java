package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.redis.RedisConnection;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis slow rather than down (a proxy delays every byte far beyond the 100 ms command timeout): callers get
 * their values from the loader without an exception, the breaker opens after a few timed-out commands, so
 * only the first reads pay the timeouts, and the cache is back on Redis once the latency is gone.
 */
class CacheSlowRedisIT {

    @Test
    void aSlowRedisCostsTheFirstReadsAFewCommandTimeoutsThenTheBreakerKeepsCallersOffIt() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port())) {
            RedisConnection<String, byte[]> connection = RedisCache.connect(RedisConnection.builder()
                    .uri("redis://" + proxy.host() + ":" + proxy.port()).commandTimeout(Duration.ofMillis(100)));
            try (RedisCache<String> cache = RedisCache.builder("slow", CacheCodec.strings()).redis(connection).build()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    cache.get("warm", key -> "w");
                    return cache.getIfPresent("warm").isPresent();
                });

                proxy.setLatency(Duration.ofMillis(500));
                List<Long> millis = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    long start = System.nanoTime();
                    assertThat(cache.get("k" + i, key -> "value of " + key)).isEqualTo("value of k" + i); // never an exception
                    millis.add((System.nanoTime() - start) / 1_000_000);
                }

                assertThat(cache.redisOutage()).isTrue();
                // a miss without a local tier waits for at most 4 timed-out Redis calls (read, read again, lease, write;
                // a timed-out lease is neither re-read nor released) of 100 ms each, plus the timer tick; slack for a loaded machine
                assertThat(millis).allSatisfy(took -> assertThat(took).isLessThan(1_500));
                // the breaker opens once half of its last 20 calls failed: the reads after the first two do not wait for Redis
                assertThat(millis.stream().mapToLong(Long::longValue).sum()).as("all 30 reads, ms: %s", millis).isLessThan(3_000);
                assertThat(cache.stats().writesSkipped()).isGreaterThan(0);

                proxy.heal();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    cache.get("after", key -> "a");
                    return !cache.redisOutage() && cache.getIfPresent("after").isPresent();
                });
            } finally {
                connection.close();
            }
        }
    }
}
