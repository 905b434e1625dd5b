package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WaitingRateLimiterTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    // one permit a second, a burst of one
    private final InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("waiting",
            RateLimitPolicy.of(Limit.tokenBucket("second", 1, 1, Duration.ofSeconds(1)))).clock(clock).build();

    private WaitingRateLimiter waiting(Duration maxWait) {
        return WaitingRateLimiter.builder(limiter).maxWait(maxWait).clock(clock).sleeper(scheduler).scheduler(scheduler).build();
    }

    @Test
    void acquireWaitsTheRetryTimeWhenItFitsInTheMaximumWait() throws Exception {
        limiter.tryAcquire("k");
        clock.advanceMillis(400);

        Decision decision = waiting(Duration.ofSeconds(1)).acquire("k", 1);

        assertThat(decision.allowed()).isTrue();
        assertThat(scheduler.sleeps()).containsExactly(Duration.ofMillis(600));
    }

    @Test
    void acquireAnswersTheRejectionAtOnceWhenThePermitsCannotComeInTime() throws Exception {
        limiter.tryAcquire("k");

        Decision decision = waiting(Duration.ofMillis(500)).acquire("k", 1);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(scheduler.sleeps()).isEmpty();
    }

    @Test
    void acquireAsyncCompletesOnceThePermitsAreThereWithoutBlocking() {
        limiter.tryAcquire("k");

        CompletableFuture<Decision> decision = waiting(Duration.ofSeconds(2)).acquireAsync("k", 1).toCompletableFuture();

        assertThat(decision).isNotDone();
        assertThat(scheduler.scheduledDelays()).containsExactly(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(decision).isCompletedWithValueMatching(Decision::allowed);
    }

    @Test
    void acquireAsyncCompletesWithTheRejectionWhenTheWaitWouldBeTooLong() {
        limiter.tryAcquire("k");

        CompletableFuture<Decision> decision = waiting(Duration.ZERO).acquireAsync("k", 1).toCompletableFuture();

        assertThat(decision).isCompletedWithValueMatching(d -> !d.allowed());
        assertThat(scheduler.scheduledDelays()).isEmpty();
    }

    @Test
    void builderRejectsANegativeOrHugeMaximumWaitNamingIt() {
        assertThatThrownBy(() -> WaitingRateLimiter.builder(limiter).maxWait(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        assertThatThrownBy(() -> WaitingRateLimiter.builder(limiter).maxWait(Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
    }
}
