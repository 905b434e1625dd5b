package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TestServices;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limiter's health follows Redis' reachability from start-up, with no traffic at all. */
class RedisHealthIT {

    private static final RateLimitPolicy POLICY = RateLimitPolicy.of(Limit.fixedWindow("minute", 10, Duration.ofMinutes(1)));

    @Test
    void healthIsDegradedFromStartUpWhenRedisIsUnreachable() throws Exception {
        try (RedisBackend backend = RedisBackend.builder().uri("redis://127.0.0.1:" + TestServices.freeLoopbackPort())
                .connectTimeout(Duration.ofMillis(200)).build();
             RedisRateLimiter limiter = RedisRateLimiter.builder("health", POLICY).backend(backend).build()) {

            assertThat(limiter.asHealthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(limiter.asHealthCheck().check().message()).contains("Redis unreachable");
        }
    }

    @Test
    void healthTurnsDegradedWhenRedisIsKilledAndUpWhenItIsBackWithoutAnyRequest() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             RedisBackend backend = RedisBackend.builder().uri(redis.uri()).probeInterval(Duration.ofMillis(100)).build();
             RedisRateLimiter limiter = RedisRateLimiter.builder("health", POLICY).backend(backend).build()) {
            assertThat(limiter.asHealthCheck().check().status()).isEqualTo(HealthStatus.UP);

            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> limiter.asHealthCheck().check().status() == HealthStatus.DEGRADED);
            redis.restart();
            await().atMost(Duration.ofSeconds(10)).until(() -> limiter.asHealthCheck().check().status() == HealthStatus.UP);
        }
    }
}
