package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final ManualClock clock = new ManualClock();

    private RetryBudget budget(double ratio, int minPerSecond) {
        return RetryBudget.builder().retryRatio(ratio).minRetriesPerSecond(minPerSecond)
                .window(Duration.ofSeconds(10)).clock(clock).build();
    }

    @Test
    void allowsTheMinimumWithoutTraffic() {
        RetryBudget budget = budget(0.1, 2);

        int allowed = 0;
        while (budget.tryAcquireRetry()) {
            allowed++;
        }

        assertThat(allowed).isEqualTo(20);
        assertThat(budget.availableRetries()).isZero();
    }

    @Test
    void allowsTheRatioOfRecentCalls() {
        RetryBudget budget = budget(0.1, 0);
        for (int i = 0; i < 1000; i++) {
            budget.recordCall();
        }

        int allowed = 0;
        while (budget.tryAcquireRetry()) {
            allowed++;
        }

        assertThat(allowed).isEqualTo(100);
    }

    @Test
    void forgetsCallsAndRetriesOlderThanTheWindow() {
        RetryBudget budget = budget(0.1, 1);
        while (budget.tryAcquireRetry()) {
            // spend it
        }

        clock.advance(Duration.ofSeconds(10));

        assertThat(budget.availableRetries()).isEqualTo(10);
    }

    @Test
    void throttlesRetriesSharedByTwoRetryInstances() {
        // Given two retries sharing a budget of 5 retries for the window and no other traffic
        RetryBudget shared = RetryBudget.builder().retryRatio(0).minRetriesPerSecond(1).window(Duration.ofSeconds(5))
                .clock(clock).build();
        ManualScheduler scheduler = new ManualScheduler(new ManualClock());
        Retry first = Retry.builder("first").maxAttempts(100).backoff(Backoff.none()).sleeper(scheduler).budget(shared).build();
        Retry second = Retry.builder("second").maxAttempts(100).backoff(Backoff.none()).sleeper(scheduler).budget(shared).build();
        AtomicInteger attempts = new AtomicInteger();

        // When both keep failing
        for (Retry retry : new Retry[] {first, second}) {
            assertThatThrownBy(() -> retry.call(() -> {
                attempts.incrementAndGet();
                throw new IOException("outage");
            })).isInstanceOf(IOException.class);
        }

        // Then together they made their two first attempts plus the 5 retries of the budget
        assertThat(attempts).hasValue(2 + 5);
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> RetryBudget.builder().retryRatio(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryRatio").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> RetryBudget.builder().minRetriesPerSecond(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minRetriesPerSecond");
        assertThatThrownBy(() -> RetryBudget.builder().window(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
    }
}
