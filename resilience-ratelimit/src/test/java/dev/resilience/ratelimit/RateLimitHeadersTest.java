package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The draft's {@code RateLimit} header against what it promises: {@code t} is the seconds until the
 * deciding limit gives permits back and never more than that limit's {@code w}; {@code Retry-After}
 * is the time until the same request fits, at least 1 s.
 */
class RateLimitHeadersTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aSlidingWindowsResetIsTheEndOfItsCurrentWindowNotTheWindowAfter() {
        // the Spring example's observation: t=1052 for a 900 s window (152 s of the window left, plus the next)
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.slidingWindow("ip15m", 100, Duration.ofMinutes(15)));
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("api", policy).clock(clock).build();
        clock.advance(Duration.ofSeconds(900 - 152));

        Decision decision = limiter.tryAcquire("1.2.3.4");

        assertThat(RateLimitHeaders.of(decision, true))
                .containsEntry("RateLimit-Policy", "\"ip15m\";q=100;w=900")
                .containsEntry("RateLimit", "\"ip15m\";r=99;t=152")
                .containsEntry("X-RateLimit-Reset", "152");
        // the full replenishment stays what Decision documents: the previous window's weight fades out over the next
        assertThat(decision.resetAfter()).isEqualTo(Duration.ofSeconds(152 + 900));

        clock.advance(Duration.ofSeconds(152 + 300)); // into the next window: this request now weighs as the previous one's
        assertThat(RateLimitHeaders.rateLimit(limiter.tryAcquire("1.2.3.4", 0))).isEqualTo("\"ip15m\";r=99;t=600");
    }

    @Test
    void aTokenBucketWithABurstTellsWhenItsNextPermitDripsIn() {
        // 10 per second with bursts of 100: refilling all of it takes 10 s, ten windows
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.tokenBucket("burst", 100, 10, Duration.ofSeconds(1)));
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("api", policy).clock(clock).build();
        for (int i = 0; i < 99; i++) {
            limiter.tryAcquire("k");
        }
        Decision decision = limiter.tryAcquire("k");
        Decision rejected = limiter.tryAcquire("k");

        assertThat(RateLimitHeaders.rateLimit(decision)).isEqualTo("\"burst\";r=0;t=1");
        assertThat(RateLimitHeaders.of(rejected, false)).containsEntry("RateLimit", "\"burst\";r=0;t=1")
                .containsEntry("Retry-After", "1");
        assertThat(decision.resetAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aRejectionWithNothingCountedTellsTheRetryTimeNotZero() {
        // what a FAIL_CLOSED Redis limiter answers while Redis is away: nothing counted, retry when the breaker probes
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.slidingWindow("ip1m", 30, Duration.ofMinutes(1)));
        Decision closed = Decision.rejected(policy, "ip1m", 30, 0, Duration.ofSeconds(4).toNanos());
        Decision longer = Decision.rejected(policy, "ip1m", 30, 0, Duration.ofMinutes(5).toNanos());

        assertThat(RateLimitHeaders.of(closed, false)).containsEntry("RateLimit", "\"ip1m\";r=0;t=4").containsEntry("Retry-After", "4");
        assertThat(RateLimitHeaders.rateLimit(longer)).isEqualTo("\"ip1m\";r=0;t=60");
    }

    @Test
    void tNeverExceedsTheWindowWhateverTheDecisionSays() {
        // a decision computed by a clock that jumped (an instance's client time, a Redis host's) may say anything
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.slidingWindow("sw", 100, Duration.ofMinutes(1)),
                Limit.fixedWindow("fw", 100, Duration.ofMinutes(1)), Limit.tokenBucket("tb", 100, 10, Duration.ofMinutes(1)));
        for (String limit : new String[] {"sw", "fw", "tb"}) {
            for (long minutes : new long[] {0, 1, 2, 3, 1_000}) {
                long full = Duration.ofMinutes(minutes).plusMillis(1).toNanos();
                assertThat(RateLimitHeaders.resetSeconds(Decision.allowed(policy, limit, 100, 50, full))).as(limit + " " + minutes)
                        .isBetween(0L, 60L);
                assertThat(RateLimitHeaders.resetSeconds(Decision.rejected(policy, limit, 100, full, full))).as(limit + " " + minutes)
                        .isBetween(1L, 60L);
            }
        }
    }

    /**
     * Seeded random policies and traffic (penalties and refunds included): every header value equals
     * the reference model's, {@code t} is within {@code [0, w]} of the deciding limit, a rejection says
     * {@code t >= 1} and {@code Retry-After >= 1}.
     */
    @Test
    void headersMatchTheReferenceModelForRandomPoliciesAndTraffic() {
        for (long seed = 1; seed <= 400; seed++) {
            Random random = new Random(seed);
            RateLimitPolicy policy = RandomScenarios.policy(random);
            ManualClock clock = new ManualClock();
            ReferenceRateLimiter model = new ReferenceRateLimiter(policy);
            try (InMemoryRateLimiter memory = InMemoryRateLimiter.builder("hdr", policy).clock(clock).build()) {
                for (int step = 0; step < 80; step++) {
                    clock.advance(Duration.ofNanos(RandomScenarios.step(random, policy).toNanos() / 1_000 * 1_000));
                    String key = "k" + random.nextInt(2);
                    int permits = RandomScenarios.permits(random, policy);
                    long now = RandomScenarios.micros(clock);
                    int operation = random.nextInt(10);
                    if (operation == 0) {
                        memory.penalize(key, permits);
                        model.adjust(key, permits, now);
                    } else if (operation == 1) {
                        memory.refund(key, permits);
                        model.adjust(key, -permits, now);
                    }
                    ReferenceRateLimiter.Outcome expected = model.decide(key, permits, now);
                    Decision decision = memory.tryAcquire(key, permits);
                    String context = String.format("seed %d, step %d, %s, %d permits, %s", seed, step, policy, permits, decision);
                    assertHeaders(decision, expected, model.resetHeaderMicros(key, expected.limitName(), now), context);
                }
            }
        }
    }

    static void assertHeaders(Decision decision, ReferenceRateLimiter.Outcome expected, long expectedResetMicros, String context) {
        Limit decider = decision.policy().limits().stream().filter(l -> l.name().equals(decision.limitName())).findFirst().orElseThrow();
        long window = seconds(decider.window().toNanos());
        long reset = expectedResetMicros == 0 && !expected.allowed()
                ? Math.min(expected.retryMicros(), decider.window().toNanos() / 1_000) : expectedResetMicros;
        Map<String, String> headers = RateLimitHeaders.of(decision, true);
        assertThat(headers.get("RateLimit")).as(context)
                .isEqualTo("\"" + expected.limitName() + "\";r=" + expected.remaining() + ";t=" + seconds(reset * 1_000));
        long t = Long.parseLong(headers.get("RateLimit").replaceAll(".*;t=", ""));
        assertThat(t).as(context).isBetween(expected.allowed() ? 0L : 1L, window);
        assertThat(headers.get("X-RateLimit-Reset")).as(context).isEqualTo(Long.toString(t));
        assertThat(headers.get("RateLimit-Policy")).as(context).contains("\"" + decider.name() + "\";q=" + decider.permits() + ";w=" + window);
        if (expected.allowed()) {
            assertThat(headers).as(context).doesNotContainKey("Retry-After");
        } else {
            assertThat(headers.get("Retry-After")).as(context).isEqualTo(Long.toString(Math.max(1, seconds(expected.retryMicros() * 1_000))));
        }
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
