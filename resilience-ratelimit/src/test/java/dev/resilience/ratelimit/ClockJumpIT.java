package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.Clock;
import dev.resilience.testkit.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The wall clock stepped back (NTP, a VM restored) under a limiter sending its own time to Redis
 * ({@code clientTime(true)}) and under the in-memory one: a key over its limit stays over it (the step
 * gives no fresh window), and the headers still say {@code 1 <= t <= w}.
 */
class ClockJumpIT {

    /** Monotonic time moves only forward; wall time can be stepped either way. */
    private static final class SteppingClock implements Clock {
        final AtomicLong nanos = new AtomicLong();
        final AtomicLong wallOffset = new AtomicLong();
        final Instant origin = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES); // every step within one window

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public Instant now() {
            return origin.plusNanos(nanos.get() + wallOffset.get());
        }
    }

    @Test
    void aWallClockSteppedBackGivesNoFreshWindow() {
        try (RedisServerProcess redis = RedisServerProcess.start();
             RedisBackend backend = RedisBackend.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(2)).build()) {
            await().atMost(Duration.ofSeconds(5)).until(backend::isConnected);
            for (Limit limit : new Limit[] {Limit.fixedWindow("fw", 5, Duration.ofMinutes(1)),
                    Limit.slidingWindow("sw", 5, Duration.ofMinutes(1)), Limit.tokenBucket("tb", 5, 5, Duration.ofHours(1))}) {
                SteppingClock clock = new SteppingClock();
                RateLimitPolicy policy = RateLimitPolicy.of(limit);
                try (RedisRateLimiter onRedis = RedisRateLimiter.builder("jump", policy).backend(backend).clientTime(true)
                        .keyPrefix("jump:" + UUID.randomUUID() + ":").clock(clock).build();
                     InMemoryRateLimiter inMemory = InMemoryRateLimiter.builder("jump", policy).clock(clock).build()) {
                    for (RateLimiter limiter : new RateLimiter[] {onRedis, inMemory}) {
                        for (int i = 0; i < 5; i++) {
                            assertThat(limiter.tryAcquire("k").allowed()).as(limit + " " + limiter).isTrue();
                        }
                    }
                    clock.wallOffset.set(-Duration.ofMinutes(5).toNanos());
                    clock.nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // past the rejections remembered locally
                    for (RateLimiter limiter : new RateLimiter[] {onRedis, inMemory}) {
                        for (int i = 0; i < 10; i++) {
                            clock.nanos.addAndGet(Duration.ofMillis(1_100).toNanos());
                            Decision decision = limiter.tryAcquire("k");
                            String context = limit + " " + limiter + " " + decision;
                            assertThat(decision.allowed()).as(context).isFalse();
                            Map<String, String> headers = RateLimitHeaders.of(decision, false);
                            long t = Long.parseLong(headers.get("RateLimit").replaceAll(".*;t=", ""));
                            assertThat(t).as(context).isBetween(1L, limit.window().toSeconds());
                            assertThat(Long.parseLong(headers.get("Retry-After"))).as(context).isPositive();
                        }
                    }
                }
            }
        }
    }
}
