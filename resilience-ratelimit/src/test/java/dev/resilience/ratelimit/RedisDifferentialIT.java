package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis limiter (its Lua script, with the test's clock passed as client time) against the
 * in-memory limiter and the reference model, over many random policies and request sequences: the
 * same decisions, remaining permits, reset and retry times, to the microsecond, with penalties and
 * refunds among the requests.
 */
class RedisDifferentialIT {

    private static RedisServerProcess redis;
    private static RedisBackend backend;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
        backend = RedisBackend.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(5)).until(backend::isConnected);
    }

    @AfterAll
    static void stopRedis() {
        backend.close();
        redis.close();
    }

    @Test
    void redisDecidesExactlyLikeMemoryAndTheReferenceModelForRandomPoliciesAndTraffic() {
        String prefix = "diff:" + UUID.randomUUID() + ":";
        for (long seed = 1; seed <= 150; seed++) {
            Random random = new Random(seed);
            RateLimitPolicy policy = RandomScenarios.policy(random);
            ManualClock clock = new ManualClock();
            ReferenceRateLimiter model = new ReferenceRateLimiter(policy);
            try (InMemoryRateLimiter memory = InMemoryRateLimiter.builder("diff", policy).clock(clock).build();
                 RedisRateLimiter onRedis = RedisRateLimiter.builder("diff", policy).backend(backend)
                         .keyPrefix(prefix + seed + ":").clientTime(true).clock(clock).build()) {
                long lastReal = System.nanoTime();
                for (int step = 0; step < 60; step++) {
                    // Redis expires keys in real time: the test's time never runs slower, so a key Redis
                    // dropped is one whose state no longer matters by the test's clock either. Whole
                    // microseconds: a rejection the Redis limiter remembers locally is timed in nanoseconds
                    // from then on, which agrees to the microsecond only when no fraction of one has passed
                    long real = System.nanoTime();
                    Duration forward = max(RandomScenarios.step(random, policy), Duration.ofNanos(real - lastReal));
                    clock.advance(Duration.ofNanos((forward.toNanos() + 999) / 1_000 * 1_000));
                    lastReal = real;
                    String key = "k" + random.nextInt(2);
                    int permits = RandomScenarios.permits(random, policy);
                    int operation = random.nextInt(10);
                    if (operation == 0) {
                        memory.penalize(key, permits);
                        onRedis.penalize(key, permits);
                        model.adjust(key, permits, RandomScenarios.micros(clock));
                    } else if (operation == 1) {
                        memory.refund(key, permits);
                        onRedis.refund(key, permits);
                        model.adjust(key, -permits, RandomScenarios.micros(clock));
                    }

                    ReferenceRateLimiter.Outcome expected = model.decide(key, permits, RandomScenarios.micros(clock));
                    ReferenceRateLimiter.Outcome inMemory = ReferenceRateLimiter.Outcome.of(memory.tryAcquire(key, permits));
                    Decision decision = onRedis.tryAcquire(key, permits);

                    String context = String.format("seed %d, step %d, %s, %d permits for %s", seed, step, policy, permits, key);
                    assertThat(onRedis.fallbackActive()).as(context).isFalse();
                    assertThat(decision.policy()).as(context).isEqualTo(policy);
                    assertThat(ReferenceRateLimiter.Outcome.of(decision)).as(context).isEqualTo(expected);
                    assertThat(inMemory).as(context).isEqualTo(expected);
                }
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
