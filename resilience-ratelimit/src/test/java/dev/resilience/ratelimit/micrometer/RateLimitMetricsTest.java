package dev.resilience.ratelimit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitMetricsTest {

    @Test
    void countsDecisionsByResultAndGaugesKeysInMemory() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("w", 1, Duration.ofMinutes(1))))
                .clock(new ManualClock()).listener(new RateLimitMetrics(registry)).build();

        limiter.tryAcquire("a");
        limiter.tryAcquire("a");
        limiter.tryAcquirePermission("b");

        assertThat(registry.get("resilience.ratelimit.decisions").tag("limiter", "api").tag("result", "allowed").counter().count()).isEqualTo(2);
        assertThat(registry.get("resilience.ratelimit.decisions").tag("limiter", "api").tag("result", "rejected").counter().count()).isEqualTo(1);
        assertThat(registry.get("resilience.ratelimit.keys").tag("limiter", "api").gauge().value()).isEqualTo(2);
    }
}
