package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-memory limiter against the reference model, over many random policies and request sequences
 * (with penalties and refunds among them).
 */
class InMemoryDifferentialTest {

    @Test
    void decidesExactlyLikeTheReferenceModelForRandomPoliciesAndTraffic() {
        for (long seed = 1; seed <= 1_000; seed++) {
            Random random = new Random(seed);
            RateLimitPolicy policy = RandomScenarios.policy(random);
            ManualClock clock = new ManualClock();
            ReferenceRateLimiter model = new ReferenceRateLimiter(policy);
            try (InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("diff", policy).clock(clock).build()) {
                for (int step = 0; step < 80; step++) {
                    clock.advance(RandomScenarios.step(random, policy));
                    String key = "k" + random.nextInt(2);
                    int permits = RandomScenarios.permits(random, policy);
                    int operation = random.nextInt(10);
                    if (operation == 0) {
                        limiter.penalize(key, permits);
                        model.adjust(key, permits, RandomScenarios.micros(clock));
                    } else if (operation == 1) {
                        limiter.refund(key, permits);
                        model.adjust(key, -permits, RandomScenarios.micros(clock));
                    }

                    ReferenceRateLimiter.Outcome expected = model.decide(key, permits, RandomScenarios.micros(clock));
                    ReferenceRateLimiter.Outcome actual = ReferenceRateLimiter.Outcome.of(limiter.tryAcquire(key, permits));

                    assertThat(actual).as("seed %d, step %d, %s, %d permits for %s", seed, step, policy, permits, key)
                            .isEqualTo(expected);
                }
            }
        }
    }
}
