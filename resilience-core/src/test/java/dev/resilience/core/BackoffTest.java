package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(2);
    private final Backoff exponential = Backoff.exponential(BASE, 2.0, CAP);

    private static long ms(Duration d) {
        return d.toMillis();
    }

    @Test
    void fixedIsTheSameEveryTime() {
        Backoff fixed = Backoff.fixed(Duration.ofMillis(250));

        assertThat(fixed.delay(1, Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(fixed.delay(7, Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void noneIsZero() {
        assertThat(Backoff.none().delay(3, Duration.ZERO)).isZero();
    }

    @Test
    void exponentialGrowsByTheMultiplierUpToTheCap() {
        assertThat(exponential.delay(1, Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
        assertThat(exponential.delay(2, Duration.ZERO)).isEqualTo(Duration.ofMillis(200));
        assertThat(exponential.delay(5, Duration.ZERO)).isEqualTo(Duration.ofMillis(1600));
        assertThat(exponential.delay(6, Duration.ZERO)).isEqualTo(CAP);
        assertThat(exponential.delay(10_000, Duration.ZERO)).isEqualTo(CAP);
    }

    @Test
    void fullJitterStaysBetweenZeroAndTheExponentialDelay() {
        Backoff full = exponential.withJitter(Jitter.FULL, new Random(42));
        Set<Long> seen = new HashSet<>();
        for (int retry = 1; retry <= 8; retry++) {
            long exp = ms(exponential.delay(retry, Duration.ZERO));
            for (int i = 0; i < 1000; i++) {
                long delay = ms(full.delay(retry, Duration.ZERO));
                assertThat(delay).isBetween(0L, exp);
                seen.add(delay);
            }
        }
        assertThat(seen).as("values are spread, not constant").hasSizeGreaterThan(100);
    }

    @Test
    void equalJitterStaysBetweenHalfAndTheWholeExponentialDelay() {
        Backoff equal = exponential.withJitter(Jitter.EQUAL, new Random(42));
        for (int retry = 1; retry <= 8; retry++) {
            long exp = exponential.delay(retry, Duration.ZERO).toNanos();
            for (int i = 0; i < 1000; i++) {
                long delay = equal.delay(retry, Duration.ZERO).toNanos();
                assertThat(delay).isBetween(exp / 2, exp);
            }
        }
    }

    @Test
    void decorrelatedJitterStaysBetweenBaseAndThreeTimesThePreviousCapped() {
        Backoff decorrelated = exponential.withJitter(Jitter.DECORRELATED, new Random(42));
        Duration previous = Duration.ZERO;
        for (int retry = 1; retry <= 10_000; retry++) {
            Duration delay = decorrelated.delay(retry, previous);
            long upper = Math.min(CAP.toNanos(), 3 * Math.max(previous.toNanos(), BASE.toNanos()));
            assertThat(delay.toNanos()).isBetween(BASE.toNanos(), upper);
            previous = delay;
        }
    }

    @Test
    void seededJitterIsReproducible() {
        Backoff a = exponential.withJitter(Jitter.FULL, new Random(7));
        Backoff b = exponential.withJitter(Jitter.FULL, new Random(7));
        for (int retry = 1; retry < 20; retry++) {
            assertThat(a.delay(retry, Duration.ZERO)).isEqualTo(b.delay(retry, Duration.ZERO));
        }
    }

    @Test
    void retryUsesTheJitteredDelays() throws Exception {
        dev.resilience.testkit.ManualScheduler scheduler =
                new dev.resilience.testkit.ManualScheduler(new dev.resilience.testkit.ManualClock());
        Retry retry = Retry.builder("r").maxAttempts(6).sleeper(scheduler)
                .backoff(exponential.withJitter(Jitter.FULL, new Random(1))).build();
        Backoff expected = exponential.withJitter(Jitter.FULL, new Random(1));

        assertThatThrownBy(() -> retry.call(() -> {
            throw new java.io.IOException("down");
        }));

        assertThat(scheduler.sleeps()).containsExactly(expected.delay(1, Duration.ZERO), expected.delay(2, Duration.ZERO),
                expected.delay(3, Duration.ZERO), expected.delay(4, Duration.ZERO), expected.delay(5, Duration.ZERO));
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay").hasMessageContaining("-0.001");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 2, CAP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial");
        assertThatThrownBy(() -> Backoff.exponential(BASE, 0.5, CAP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier").hasMessageContaining("0.5");
        assertThatThrownBy(() -> Backoff.exponential(BASE, 2, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
        assertThatThrownBy(() -> exponential.delay(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry");
    }
}
