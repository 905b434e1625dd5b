package dev.resilience.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.examples.chaos.ChaosObservations.Period;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChaosFallbackLogTest {

    @Test
    void fallbackPeriodsAndFailedCallsLessThanASecondApartAreOneOutage() {
        String log = String.join("\n",
                "2026-11-30T00:06:12.186Z [x] WARN RedisRateLimiter - Rate limiter api cannot use Redis at 127.0.0.1:1: deciding with LOCAL_FALLBACK",
                "2026-11-30T00:06:12.500Z [x] DEBUG RedisRateLimiter - Rate limiter api: Redis call failed, deciding without it",
                "\tat some.Frame(Frame.java:1)",
                "2026-11-30T00:06:14.000Z [x] INFO RedisRateLimiter - Rate limiter api is back on Redis at 127.0.0.1:1 after 1814 ms",
                "2026-11-30T00:06:14.900Z [x] DEBUG RedisRateLimiter - Rate limiter api: Redis call failed, deciding without it",
                "2026-11-30T00:06:20.000Z [x] DEBUG RedisRateLimiter - Rate limiter api: Redis call failed, deciding without it",
                "2026-11-30T00:06:21.000Z [x] DEBUG RedisRateLimiter - Rate limiter login: Redis call failed, deciding without it");

        assertThat(ChaosScenario.fallbacks(log)).containsExactly(
                new Period(Instant.parse("2026-11-30T00:06:12.186Z"), Instant.parse("2026-11-30T00:06:14.900Z")),
                new Period(Instant.parse("2026-11-30T00:06:20Z"), Instant.parse("2026-11-30T00:06:20Z")));
    }
}
