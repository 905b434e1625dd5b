package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sliding window is the weighted approximation, not a log: these tests pin the bound the README
 * states (fewer than 2 x permits in any span of one window, at most permits per aligned window).
 */
class SlidingWindowBoundTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void admitsAlmostTwiceTheLimitInOneSpanWhenThePreviousWindowsRequestsCameAtItsEnd() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:59.990Z")); // 10 ms before a window ends
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("sliding",
                RateLimitPolicy.of(Limit.slidingWindow("minute", 100, MINUTE))).clock(clock).build();
        List<Long> admitted = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // the whole limit at the end of a window
            limiter.tryAcquirePermission("k");
            admitted.add(clock.nanoTime());
        }
        clock.advanceMillis(10);

        for (int i = 0; i < 6_000; i++) { // then a request every 10 ms for a minute
            if (limiter.tryAcquirePermission("k")) {
                admitted.add(clock.nanoTime());
            }
            clock.advanceMillis(10);
        }

        assertThat(mostInOneSpan(admitted, MINUTE)).isBetween(190, 199);
    }

    @Test
    void neverAdmitsTwiceTheLimitInAnySpanNorMoreThanTheLimitInAnAlignedWindow() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            int permits = 1 + random.nextInt(50);
            ManualClock clock = new ManualClock();
            InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("sliding",
                    RateLimitPolicy.of(Limit.slidingWindow("minute", permits, MINUTE))).clock(clock).build();
            List<Long> admitted = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                if (limiter.tryAcquirePermission("k")) {
                    admitted.add(clock.nanoTime());
                }
                clock.advance(Duration.ofMillis(random.nextInt(4) == 0 ? random.nextInt(30_000) : random.nextInt(50)));
            }

            assertThat(mostInOneSpan(admitted, MINUTE)).as("seed %d", seed).isLessThanOrEqualTo(2 * permits - 1);
            assertThat(admitted.stream().collect(java.util.stream.Collectors.groupingBy(t -> t / MINUTE.toNanos(),
                    java.util.stream.Collectors.counting())).values()).as("seed %d", seed).allMatch(count -> count <= permits);
        }
    }

    /** The most admissions within any half-open span [t, t + span). */
    private static int mostInOneSpan(List<Long> times, Duration span) {
        int most = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= span.toNanos()) {
                start++;
            }
            most = Math.max(most, end - start + 1);
        }
        return most;
    }
}
