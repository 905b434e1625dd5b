package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The response headers of a Redis limiter against the reference model (see {@link RateLimitHeadersTest})
 * on Redis, in the in-memory fallback once Redis is killed (the model of the fallback's share, starting
 * empty), and on Redis again once it is restarted empty: {@code RateLimit}, {@code RateLimit-Policy},
 * {@code X-RateLimit-Reset} and {@code Retry-After} equal the model's, {@code t} never exceeds the
 * deciding limit's {@code w}. The test's clock is passed as client time, so Redis decides exactly.
 */
class RateLimitHeadersIT {

    private static RedisServerProcess redis;
    private static RedisBackend backend;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
        backend = RedisBackend.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofMillis(500)).build();
        await().atMost(Duration.ofSeconds(5)).until(backend::isConnected);
    }

    @AfterAll
    static void stopRedis() {
        backend.close();
        redis.close();
    }

    @Test
    void headersFollowTheModelOnRedisInTheFallbackAndBackOnRedis() {
        String prefix = "hdr:" + UUID.randomUUID() + ":";
        for (long seed = 1; seed <= 12; seed++) {
            Random random = new Random(seed);
            RateLimitPolicy policy = RandomScenarios.policy(random);
            ManualClock clock = new ManualClock();
            try (RedisRateLimiter limiter = RedisRateLimiter.builder("hdr", policy).backend(backend)
                    .keyPrefix(prefix + seed + ":").clientTime(true).clock(clock).instances(2).build()) {
                traffic(limiter, policy, new ReferenceRateLimiter(policy), clock, random, seed, "redis", false);

                redis.kill();
                await().atMost(Duration.ofSeconds(5)).until(() -> !backend.isConnected());
                clock.advance(Duration.ofSeconds(2)); // past the rejections the limiter remembers from Redis
                RateLimitPolicy share = policy.withShare(0.5);
                traffic(limiter, share, new ReferenceRateLimiter(share), clock, random, seed, "fallback", true);
                assertThat(limiter.fallbackActive()).isTrue();

                redis.restart();
                await().atMost(Duration.ofSeconds(10)).until(backend::isConnected);
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    clock.advance(Duration.ofSeconds(11)); // the breaker's longest open time: it probes Redis
                    limiter.tryAcquire("probe", 0);
                    return !limiter.fallbackActive();
                });
                traffic(limiter, policy, new ReferenceRateLimiter(policy), clock, random, seed, "redis again", false);
            }
        }
    }

    @Test
    void failClosedWithoutRedisSaysWhenToRetryWithinTheWindow() {
        RedisServerProcess own = RedisServerProcess.start();
        try (RedisBackend ownBackend = RedisBackend.builder().uri(own.uri()).connectTimeout(Duration.ofMillis(500)).build();
             RedisRateLimiter limiter = RedisRateLimiter.builder("hdr", RateLimitPolicy.of(
                     Limit.slidingWindow("ip15m", 100, Duration.ofMinutes(15)))).backend(ownBackend)
                     .keyPrefix("hdr:" + UUID.randomUUID() + ":").fallbackMode(FallbackMode.FAIL_CLOSED).build()) {
            await().atMost(Duration.ofSeconds(5)).until(ownBackend::isConnected);
            own.kill();
            await().atMost(Duration.ofSeconds(5)).until(() -> !ownBackend.isConnected());

            Map<String, String> headers = RateLimitHeaders.of(limiter.tryAcquire("closed"), false);

            assertThat(headers).containsEntry("RateLimit-Policy", "\"ip15m\";q=100;w=900");
            long retry = Long.parseLong(headers.get("Retry-After"));
            assertThat(retry).isBetween(1L, 10L);
            assertThat(headers).containsEntry("RateLimit", "\"ip15m\";r=0;t=" + retry);
        } finally {
            own.close();
        }
    }

    private static void traffic(RedisRateLimiter limiter, RateLimitPolicy policy, ReferenceRateLimiter model, ManualClock clock,
            Random random, long seed, String phase, boolean fallback) {
        long lastReal = System.nanoTime();
        for (int step = 0; step < 40; step++) {
            // Redis expires keys in real time: the test's clock never runs slower (see RedisDifferentialIT)
            long real = System.nanoTime();
            long forward = Math.max(RandomScenarios.step(random, policy).toNanos(), real - lastReal);
            clock.advance(Duration.ofNanos((forward + 999) / 1_000 * 1_000));
            lastReal = real;
            String key = "k" + random.nextInt(2);
            int permits = RandomScenarios.permits(random, policy);
            long now = RandomScenarios.micros(clock);
            ReferenceRateLimiter.Outcome expected = model.decide(key, permits, now);
            Decision decision = limiter.tryAcquire(key, permits);
            String context = String.format("seed %d, %s, step %d, %s, %d permits, %s", seed, phase, step, policy, permits, decision);
            assertThat(limiter.fallbackActive() || fallback).as(context).isEqualTo(fallback);
            assertThat(decision.policy()).as(context).isEqualTo(policy);
            assertThat(ReferenceRateLimiter.Outcome.of(decision)).as(context).isEqualTo(expected);
            RateLimitHeadersTest.assertHeaders(decision, expected, model.resetHeaderMicros(key, expected.limitName(), now), context);
        }
    }
}
