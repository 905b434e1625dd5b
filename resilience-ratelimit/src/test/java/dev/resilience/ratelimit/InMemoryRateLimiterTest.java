package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {

    // on a minute boundary, so fixed windows start at the clock's origin
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    private InMemoryRateLimiter limiter(Limit... limits) {
        return InMemoryRateLimiter.builder("test", RateLimitPolicy.of(limits)).clock(clock).build();
    }

    @Test
    void fixedWindowAdmitsExactlyTheLimitUnderManyThreads() throws Exception {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 1000, Duration.ofMinutes(1)));

        assertThat(Concurrently.admitted(List.of(limiter), "k", 8, 500)).isEqualTo(1000);
    }

    @Test
    void fixedWindowStartsAfreshInTheNextWindow() {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 2, Duration.ofMinutes(1)));
        limiter.tryAcquire("k");
        limiter.tryAcquire("k");
        Decision rejected = limiter.tryAcquire("k");
        clock.advance(Duration.ofSeconds(45));
        Decision stillRejected = limiter.tryAcquire("k");
        clock.advance(Duration.ofSeconds(15));
        Decision next = limiter.tryAcquire("k");

        assertThat(rejected.allowed()).isFalse();
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(stillRejected.retryAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(next.allowed()).isTrue();
        assertThat(next.remaining()).isEqualTo(1);
    }

    @Test
    void slidingWindowAllowsNoDoubleBurstAtTheWindowBoundary() {
        InMemoryRateLimiter limiter = limiter(Limit.slidingWindow("s", 100, Duration.ofMinutes(1)));
        clock.advance(Duration.ofSeconds(59));
        assertThat(acquireAll(limiter, "k", 200)).isEqualTo(100);

        clock.advance(Duration.ofSeconds(2)); // just past the boundary: 58/60 of the burst still counts

        assertThat(acquireAll(limiter, "k", 200)).isLessThanOrEqualTo(4);
    }

    @Test
    void slidingWindowAdmitsAtMostTheLimitInAnyWindowUnderSteadyTraffic() {
        InMemoryRateLimiter limiter = limiter(Limit.slidingWindow("s", 100, Duration.ofMinutes(1)));
        List<Long> admittedAt = new ArrayList<>();
        for (int tick = 0; tick < 3600; tick++) { // 6 minutes at 10 requests per second
            if (limiter.tryAcquirePermission("k")) {
                admittedAt.add(clock.nanoTime());
            }
            clock.advance(Duration.ofMillis(100));
        }
        long window = Duration.ofMinutes(1).toNanos();
        int worst = 0;
        for (int i = 0; i < admittedAt.size(); i++) {
            int inWindow = 0;
            for (int j = i; j < admittedAt.size() && admittedAt.get(j) - admittedAt.get(i) < window; j++) {
                inWindow++;
            }
            worst = Math.max(worst, inWindow);
        }
        // documented tolerance: never above the limit; at least 90 % of it once traffic is steady
        assertThat(worst).isLessThanOrEqualTo(100).isGreaterThanOrEqualTo(90);
        assertThat(admittedAt.size()).isBetween(540, 600);
    }

    @Test
    void slidingWindowRetryAfterIsWhenThePreviousWindowHasDecayedEnough() {
        InMemoryRateLimiter limiter = limiter(Limit.slidingWindow("s", 10, Duration.ofMinutes(1)));
        acquireAll(limiter, "k", 10);
        clock.advance(Duration.ofSeconds(60)); // window 2 starts: previous count 10 weighs fully

        Decision rejected = limiter.tryAcquire("k");
        clock.advance(rejected.retryAfter());

        assertThat(rejected.allowed()).isFalse();
        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofSeconds(6));
        assertThat(limiter.tryAcquire("k").allowed()).isTrue();
    }

    @Test
    void tokenBucketAllowsItsCapacityAtOnceThenItsRate() {
        InMemoryRateLimiter limiter = limiter(Limit.tokenBucket("b", 5, 1, Duration.ofSeconds(1)));
        assertThat(acquireAll(limiter, "k", 10)).isEqualTo(5);

        Decision rejected = limiter.tryAcquire("k");
        clock.advance(Duration.ofMillis(999));
        boolean early = limiter.tryAcquirePermission("k");
        clock.advance(Duration.ofMillis(1));

        assertThat(rejected.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(rejected.resetAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(early).isFalse();
        assertThat(limiter.tryAcquirePermission("k")).isTrue();
        assertThat(limiter.tryAcquirePermission("k")).isFalse();
    }

    @Test
    void tokenBucketRefillsToCapacityButNotBeyond() {
        InMemoryRateLimiter limiter = limiter(Limit.tokenBucket("b", 3, 1, Duration.ofSeconds(1)));
        acquireAll(limiter, "k", 3);
        clock.advance(Duration.ofHours(1));

        assertThat(acquireAll(limiter, "k", 10)).isEqualTo(3);
    }

    @Test
    void requestRejectedByOneLimitConsumesFromNone() {
        InMemoryRateLimiter limiter = limiter(
                Limit.fixedWindow("second", 10, Duration.ofSeconds(1)),
                Limit.fixedWindow("minute", 3, Duration.ofMinutes(1)));
        limiter.tryAcquire("k", 2);

        Decision rejected = limiter.tryAcquire("k", 2);
        Decision afterwards = limiter.tryAcquire("k", 0);

        assertThat(rejected.allowed()).isFalse();
        assertThat(rejected.limitName()).isEqualTo("minute");
        assertThat(afterwards.allowed()).isTrue();
        assertThat(limiter.tryAcquire("k", 1).remaining()).isZero();
        assertThat(limiter.tryAcquire("k", 1).allowed()).isFalse();
    }

    @Test
    void multiLimitsStayAtomicUnderManyThreads() throws Exception {
        InMemoryRateLimiter limiter = limiter(
                Limit.fixedWindow("a", 500, Duration.ofMinutes(1)),
                Limit.slidingWindow("b", 300, Duration.ofMinutes(1)),
                Limit.tokenBucket("c", 400, 400, Duration.ofMinutes(1)));
        int admitted = Concurrently.admitted(List.of(limiter), "k", 6, 300);

        assertThat(admitted).isEqualTo(300);
        // every limit counted exactly the admitted requests: refunds left nothing behind
        assertThat(limiter.tryAcquire("k", 0).allowed()).isFalse();
        assertThat(limiter.tryAcquire("k", 0).limitName()).isEqualTo("b");
    }

    @Test
    void allowedDecisionReportsTheLimitWithFewestPermitsLeft() {
        InMemoryRateLimiter limiter = limiter(
                Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15)),
                Limit.fixedWindow("ip1m", 150, Duration.ofMinutes(1)));
        clock.advance(Duration.ofSeconds(382));

        Decision decision = limiter.tryAcquire("k");

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.limitName()).isEqualTo("ip15m");
        assertThat(decision.limit()).isEqualTo(100);
        assertThat(decision.remaining()).isEqualTo(99);
        assertThat(decision.resetAfter()).isEqualTo(Duration.ofSeconds(900 - 382));
    }

    @Test
    void zeroPermitsLooksWithoutConsuming() {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 1, Duration.ofMinutes(1)));

        assertThat(limiter.tryAcquire("k", 0).allowed()).isTrue();
        assertThat(limiter.tryAcquire("k", 0).allowed()).isTrue();
        assertThat(limiter.tryAcquire("k").allowed()).isTrue();
        assertThat(limiter.tryAcquire("k", 0).allowed()).isFalse();
    }

    @Test
    void resetForgetsTheKey() {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 1, Duration.ofMinutes(1)));
        limiter.tryAcquire("k");

        limiter.reset("k");

        assertThat(limiter.tryAcquire("k").allowed()).isTrue();
    }

    @Test
    void keysAreIndependent() {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 1, Duration.ofMinutes(1)));
        limiter.tryAcquire("a");

        assertThat(limiter.tryAcquire("b").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
    }

    @Test
    void idleKeysExpireAfterTheLongestWindow() {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 1, Duration.ofMinutes(1)));
        limiter.tryAcquire("k");
        clock.advance(Duration.ofMinutes(2));
        limiter.cleanUp();

        assertThat(limiter.keysInMemory()).isZero();
    }

    @Test
    void aKeyStillInUseOutlivesTheIdleExpiryCountedFromItsFirstUse() {
        InMemoryRateLimiter limiter = limiter(Limit.slidingWindow("s", 100, Duration.ofMinutes(10)));
        limiter.tryAcquire("k");
        clock.advance(Duration.ofMinutes(10));
        limiter.tryAcquire("k", 50);
        clock.advance(Duration.ofMinutes(19)); // 29 minutes after the first use, 19 after the last
        limiter.cleanUp();

        assertThat(limiter.keysInMemory()).isEqualTo(1);
        assertThat(limiter.tryAcquire("k", 0).remaining()).isLessThan(100);
    }

    @Test
    void rejectsAnEmptyKey() {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 1, Duration.ofMinutes(1)));

        assertThatThrownBy(() -> limiter.tryAcquire("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> limiter.tryAcquire(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    }

    @Test
    void rejectsMorePermitsThanTheSmallestCapacity() {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 5, Duration.ofMinutes(1)));

        assertThatThrownBy(() -> limiter.tryAcquire("k", 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permits").hasMessageContaining("6");
        assertThatThrownBy(() -> limiter.tryAcquire("k", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void asyncFormDecidesTheSame() {
        InMemoryRateLimiter limiter = limiter(Limit.fixedWindow("w", 1, Duration.ofMinutes(1)));

        assertThat(limiter.tryAcquireAsync("k").toCompletableFuture().join().allowed()).isTrue();
        assertThat(limiter.tryAcquireAsync("k").toCompletableFuture().join().allowed()).isFalse();
        assertThat(limiter.tryAcquireAsync("", 1).toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void aPenaltyTakesPermitsWhetherOrNotTheyFitAndARefundGivesThemBack() {
        ManualClock clock = new ManualClock();
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("adjust", RateLimitPolicy.of(
                Limit.fixedWindow("minute", 5, Duration.ofMinutes(1)), Limit.tokenBucket("bucket", 5, 5, Duration.ofMinutes(1))))
                .clock(clock).build();
        limiter.tryAcquire("k", 2);

        limiter.penalize("k", 5);
        Decision penalized = limiter.tryAcquire("k");
        limiter.refund("k", 6);
        Decision refunded = limiter.tryAcquire("k", 0);

        assertThat(penalized.allowed()).isFalse();
        assertThat(refunded.allowed()).isTrue();
        assertThat(refunded.remaining()).isEqualTo(4); // the window counted 7, less 6; the bucket is full again
        assertThatThrownBy(() -> limiter.refund("k", -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permits");
    }

    static int acquireAll(RateLimiter limiter, String key, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.tryAcquire(key).allowed()) {
                admitted++;
            }
        }
        return admitted;
    }
}
