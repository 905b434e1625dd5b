package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PerKeyPolicyRateLimiterTest {

    private final ManualClock clock = new ManualClock();

    private InMemoryRateLimiter perMinute(long permits) {
        return InMemoryRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("minute", permits, Duration.ofMinutes(1))))
                .clock(clock).build();
    }

    private static String planOf(String key) {
        return key.startsWith("pro-") ? "pro" : key.startsWith("free-") ? "free" : null;
    }

    @Test
    void eachKeyGetsTheLimitsOfItsPlanAndUnknownPlansTheDefault() {
        PerKeyPolicyRateLimiter api = PerKeyPolicyRateLimiter.builder("api", PerKeyPolicyRateLimiterTest::planOf)
                .plan("free", perMinute(2)).plan("pro", perMinute(5)).defaultPlan("free").build();

        assertThat(InMemoryRateLimiterTest.acquireAll(api, "free-1", 10)).isEqualTo(2);
        assertThat(InMemoryRateLimiterTest.acquireAll(api, "pro-1", 10)).isEqualTo(5);
        assertThat(InMemoryRateLimiterTest.acquireAll(api, "anonymous", 10)).isEqualTo(2);
        assertThat(api.tryAcquire("pro-2").limit()).isEqualTo(5);
    }

    @Test
    void replacingAPlansLimiterChangesItsLimitsFromTheNextRequestOn() {
        PerKeyPolicyRateLimiter api = PerKeyPolicyRateLimiter.builder("api", PerKeyPolicyRateLimiterTest::planOf)
                .plan("free", perMinute(2)).plan("pro", perMinute(5)).build();
        InMemoryRateLimiter biggerPro = perMinute(50);

        RateLimiter replaced = api.replace("pro", biggerPro);

        assertThat(replaced.policy().limits().get(0).permits()).isEqualTo(5);
        assertThat(InMemoryRateLimiterTest.acquireAll(api, "pro-1", 60)).isEqualTo(50);
        assertThat(api.limiterFor("pro-1")).isSameAs(biggerPro);
    }

    @Test
    void builderNeedsAPlanAndAKnownDefaultPlan() {
        assertThatThrownBy(() -> PerKeyPolicyRateLimiter.builder("api", key -> "free").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("plan");
        assertThatThrownBy(() -> PerKeyPolicyRateLimiter.builder("api", key -> "free").plan("free", perMinute(1)).defaultPlan("gold").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gold");
    }
}
