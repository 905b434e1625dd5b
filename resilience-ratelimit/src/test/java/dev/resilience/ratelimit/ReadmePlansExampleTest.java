package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's "Per-key policies" sample, kept compiling and working. */
class ReadmePlansExampleTest {

    // --- README sample start
    static PerKeyPolicyRateLimiter perPlan(Map<String, String> planOfApiKey) {
        RateLimiter free = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(
                Limit.slidingWindow("minute", 60, Duration.ofMinutes(1)))).build();
        RateLimiter pro = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(
                Limit.slidingWindow("minute", 600, Duration.ofMinutes(1)))).build();
        return PerKeyPolicyRateLimiter.builder("api", planOfApiKey::get)   // key -> plan; null: the default plan
                .plan("free", free)
                .plan("pro", pro)
                .defaultPlan("free")
                .build();
    }

    static void raisePro(PerKeyPolicyRateLimiter api) {
        RateLimiter old = api.replace("pro", InMemoryRateLimiter.builder("api", RateLimitPolicy.of(
                Limit.slidingWindow("minute", 1200, Duration.ofMinutes(1)))).build());
        old.close();
    }
    // --- README sample end

    @Test
    void theReadmeSampleLimitsEachKeyByItsPlan() {
        PerKeyPolicyRateLimiter api = perPlan(Map.of("k-pro", "pro"));

        assertThat(api.tryAcquire("k-pro").limit()).isEqualTo(600);
        assertThat(api.tryAcquire("k-unknown").limit()).isEqualTo(60);
        raisePro(api);
        assertThat(api.tryAcquire("k-pro").limit()).isEqualTo(1200);
    }
}
