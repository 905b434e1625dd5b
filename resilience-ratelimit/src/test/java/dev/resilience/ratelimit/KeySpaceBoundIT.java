package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A flood of distinct keys (a million client IPs) keeps the in-memory key space bounded. */
class KeySpaceBoundIT {

    @Test
    void aMillionDistinctKeysStayWithinTheMaximum() {
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("flood",
                RateLimitPolicy.of(Limit.slidingWindow("ip15m", 100, Duration.ofMinutes(15)))).maximumKeys(10_000).build();
        long peak = 0;
        for (int i = 0; i < 1_000_000; i++) {
            limiter.tryAcquirePermission("ip:10." + (i >>> 16 & 0xFF) + "." + (i >>> 8 & 0xFF) + "." + (i & 0xFF) + "#" + (i >>> 24));
            if ((i & 0xFFFF) == 0) {
                limiter.cleanUp();
                peak = Math.max(peak, limiter.keysInMemory());
            }
        }
        limiter.cleanUp();

        assertThat(limiter.keysInMemory()).isLessThanOrEqualTo(10_000);
        assertThat(peak).isLessThanOrEqualTo(10_000);
        // a key used again and again survives the flood
        assertThat(limiter.tryAcquire("ip:10.0.0.0#0").remaining()).isLessThan(100);
    }
}
