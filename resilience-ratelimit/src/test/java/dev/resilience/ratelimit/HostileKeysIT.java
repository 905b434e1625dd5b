package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Keys an attacker may choose (through a header, a username, a path): braces that would break the Cluster
 * hash tag, separators, control characters, non-BMP text, huge values. Each is its own count on Redis, never
 * another's, and what Redis stores stays short.
 */
class HostileKeysIT {

    @Test
    void oddKeysAreCountedApartAndStoredShort() {
        List<String> keys = List.of("a", "a}", "{a", "{a}", "a:b", "a:b:c", "a b", "a\nb", "a\u0000b", "a\r\nSET x 1",
                "\uD83D\uDE00", "#" + "A".repeat(43), "x".repeat(128), "x".repeat(129), "x".repeat(100_000), "*", "?", "[a]", "\\");
        String prefix = "hostile:" + UUID.randomUUID() + ":";
        try (RedisServerProcess redis = RedisServerProcess.start();
             RedisBackend backend = RedisBackend.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(2)).build()) {
            await().atMost(Duration.ofSeconds(5)).until(backend::isConnected);
            RedisRateLimiter limiter = RedisRateLimiter.builder("hostile", RateLimitPolicy.of(
                    Limit.fixedWindow("day", 2, Duration.ofDays(1)), Limit.slidingWindow("hour", 2, Duration.ofHours(1))))
                    .backend(backend).keyPrefix(prefix).build();
            for (String key : keys) {
                assertThat(limiter.tryAcquire(key).allowed()).as(key).isTrue();
                assertThat(limiter.tryAcquire(key).allowed()).as(key).isTrue();
            }
            for (String key : keys) {
                assertThat(limiter.tryAcquire(key).allowed()).as(key).isFalse();
            }
            assertThat(limiter.fallbackActive()).isFalse();
            RedisClient admin = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                List<String> stored = connection.sync().keys(prefix + "*");
                assertThat(stored).hasSize(2 * keys.size());
                assertThat(stored).allMatch(key -> key.length() <= prefix.length() + 128 + 2 + ":hostile:hour:sw".length());
            } finally {
                admin.shutdown();
            }
            limiter.close();
        }
    }
}
