package dev.resilience.ratelimit;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random policies and request sequences for the differential tests. */
final class RandomScenarios {

    private static final Duration[] WINDOWS = {
        Duration.ofMillis(1), Duration.ofMillis(3), Duration.ofNanos(7_013_000), Duration.ofSeconds(1),
        Duration.ofMillis(1_500), Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1).plusNanos(1_000),
        Duration.ofHours(2), Duration.ofDays(1), Duration.ofDays(366)};
    private static final long[] PERMITS = {1, 2, 3, 5, 7, 10, 13, 100, 999};

    private RandomScenarios() {
    }

    /** One to three limits of random algorithms, quotas and windows (fractional refill intervals included). */
    static RateLimitPolicy policy(Random random) {
        int count = 1 + random.nextInt(3);
        List<Limit> limits = new ArrayList<>();
        while (limits.size() < count) {
            String name = "l" + limits.size();
            Duration window = random.nextInt(4) == 0
                    ? Duration.ofNanos(1_000_000 + random.nextInt(50_000_000) * 1_000L + random.nextInt(1_000))
                    : WINDOWS[random.nextInt(WINDOWS.length)];
            long permits = random.nextInt(20) == 0 ? Limit.MAX_SLIDING_WINDOW_PERMITS : PERMITS[random.nextInt(PERMITS.length)];
            try {
                switch (random.nextInt(3)) {
                    case 0:
                        limits.add(Limit.tokenBucket(name, 1 + random.nextInt(12), permits, window));
                        break;
                    case 1:
                        limits.add(Limit.slidingWindow(name, permits, window));
                        break;
                    default:
                        limits.add(Limit.fixedWindow(name, permits, window));
                }
            } catch (IllegalArgumentException invalid) {
                // e.g. a refill faster than a permit per microsecond: draw again
            }
        }
        return RateLimitPolicy.of(limits.toArray(Limit[]::new));
    }

    /** A step forward in time: often none or a few microseconds, else a share of a window or beyond. */
    static Duration step(Random random, RateLimitPolicy policy) {
        Duration window = policy.limits().get(random.nextInt(policy.limits().size())).window();
        switch (random.nextInt(6)) {
            case 0:
            case 1:
                return Duration.ZERO;
            case 2:
                return Duration.ofNanos(1 + random.nextInt(2_000_000));
            case 3:
            case 4:
                return Duration.ofNanos((long) (window.toNanos() * random.nextDouble()));
            default:
                return Duration.ofNanos((long) (window.toNanos() * 3 * random.nextDouble()));
        }
    }

    /** Permits for one request: 0 (a look) up to 3, within the policy's capacity. */
    static int permits(Random random, RateLimitPolicy policy) {
        return random.nextInt((int) Math.min(3, policy.maxPermits()) + 1);
    }

    /** The clock's time in microseconds since the epoch, as both limiters read it. */
    static long micros(ManualClock clock) {
        Instant now = clock.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
