package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every policy reports its effective settings (issue 16, "readable settings"): each setting its builder
 * takes, as built, and the documented default when it was not set.
 */
class PolicySettingsTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final Sleeper sleeper = duration -> clock.advance(duration);

    @Test
    void retryReportsItsDefaults() {
        Retry retry = Retry.ofDefaults("r");
        assertThat(retry.name()).isEqualTo("r");
        assertThat(retry.maxAttempts()).isEqualTo(3);
        assertThat(retry.maxDuration()).isNull();
        assertThat(retry.backoff().jitter()).isEqualTo(Jitter.FULL);
        assertThat(retry.retryOn()).isEmpty();
        assertThat(retry.retryIf()).isNull();
        assertThat(retry.abortOn()).isEmpty();
        assertThat(retry.retryRejections()).isFalse();
        assertThat(retry.retryOnResult()).isNull();
        assertThat(retry.delayFrom()).isNull();
        assertThat(retry.budget()).isNull();
        assertThat(retry.clock()).isSameAs(Clock.system());
        assertThat(retry.sleeper()).isSameAs(Sleeper.system());
        assertThat(retry.scheduler()).isSameAs(Scheduler.defaultScheduler());
    }

    @Test
    void retryReportsWhatWasBuilt() {
        Backoff backoff = Backoff.fixed(Duration.ofMillis(5));
        Predicate<Throwable> retryIf = t -> true;
        Predicate<String> onResult = String::isEmpty;
        Function<RetryAttempt, Duration> delayFrom = attempt -> null;
        RetryBudget budget = RetryBudget.builder().clock(clock).build();
        Retry retry = Retry.builder("r").maxAttempts(5).maxDuration(Duration.ofSeconds(7)).backoff(backoff)
                .retryOn(IOException.class).retryIf(retryIf).abortOn(TimeoutException.class).retryRejections(true)
                .retryOnResult(onResult).delayFrom(delayFrom).budget(budget).clock(clock).sleeper(sleeper)
                .scheduler(scheduler).build();
        assertThat(retry.maxAttempts()).isEqualTo(5);
        assertThat(retry.maxDuration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(retry.backoff()).isSameAs(backoff);
        assertThat(retry.retryOn()).containsExactly(IOException.class);
        assertThat(retry.retryIf()).isSameAs(retryIf);
        assertThat(retry.abortOn()).containsExactly(TimeoutException.class);
        assertThat(retry.retryRejections()).isTrue();
        assertThat(retry.retryOnResult()).isSameAs(onResult);
        assertThat(retry.delayFrom()).isSameAs(delayFrom);
        assertThat(retry.budget()).isSameAs(budget);
        assertThat(retry.clock()).isSameAs(clock);
        assertThat(retry.sleeper()).isSameAs(sleeper);
        assertThat(retry.scheduler()).isSameAs(scheduler);
    }

    @Test
    void circuitBreakerReportsItsDefaultsAndWhatWasBuilt() {
        CircuitBreaker defaults = CircuitBreaker.builder("cb").build();
        assertThat(defaults.failureRateThreshold()).isEqualTo(50f);
        assertThat(defaults.slowCallRateThreshold()).isEqualTo(100f);
        assertThat(defaults.slowCallDuration()).isEqualTo(Duration.ZERO);
        assertThat(defaults.timeBasedWindow()).isFalse();
        assertThat(defaults.windowSize()).isEqualTo(100);
        assertThat(defaults.minimumNumberOfCalls()).isEqualTo(10);
        assertThat(defaults.openDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.openDurationMultiplier()).isEqualTo(1.0);
        assertThat(defaults.maxOpenDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.permittedCallsInHalfOpen()).isEqualTo(10);
        assertThat(defaults.maxWaitInHalfOpen()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.recordOn()).isEmpty();
        assertThat(defaults.recordIf()).isNull();
        assertThat(defaults.ignore()).isEmpty();
        assertThat(defaults.recordResult()).isNull();
        assertThat(defaults.clock()).isSameAs(Clock.system());
        assertThat(defaults.callClock()).isSameAs(Clock.system());

        Predicate<Throwable> recordIf = t -> true;
        Predicate<Object> recordResult = r -> false;
        ManualClock callClock = new ManualClock();
        CircuitBreaker built = CircuitBreaker.builder("cb").failureRateThreshold(30).slowCallRateThreshold(40)
                .slowCallDuration(Duration.ofSeconds(2)).timeBasedWindow(Duration.ofSeconds(30)).minimumNumberOfCalls(4)
                .openDuration(Duration.ofSeconds(5)).openDurationMultiplier(2.0).maxOpenDuration(Duration.ofMinutes(1))
                .permittedCallsInHalfOpen(3).maxWaitInHalfOpen(Duration.ofSeconds(9)).recordOn(IOException.class)
                .recordIf(recordIf).ignore(IllegalStateException.class).recordResult(recordResult).clock(clock)
                .callClock(callClock).build();
        assertThat(built.failureRateThreshold()).isEqualTo(30f);
        assertThat(built.slowCallRateThreshold()).isEqualTo(40f);
        assertThat(built.slowCallDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(built.timeBasedWindow()).isTrue();
        assertThat(built.windowSize()).isEqualTo(30);
        assertThat(built.minimumNumberOfCalls()).isEqualTo(4);
        assertThat(built.openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(built.openDurationMultiplier()).isEqualTo(2.0);
        assertThat(built.maxOpenDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(built.permittedCallsInHalfOpen()).isEqualTo(3);
        assertThat(built.maxWaitInHalfOpen()).isEqualTo(Duration.ofSeconds(9));
        assertThat(built.recordOn()).containsExactly(IOException.class);
        assertThat(built.recordIf()).isSameAs(recordIf);
        assertThat(built.ignore()).containsExactly(IllegalStateException.class);
        assertThat(built.recordResult()).isSameAs(recordResult);
        assertThat(built.clock()).isSameAs(clock);
        assertThat(built.callClock()).isSameAs(callClock);
    }

    @Test
    void timeoutReportsItsDefaultsAndWhatWasBuilt() {
        Timeout defaults = Timeout.of(Duration.ofSeconds(1));
        assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.scheduler()).isSameAs(Scheduler.defaultScheduler());
        assertThat(defaults.clock()).isSameAs(Clock.system());
        assertThat(defaults.cancelOnTimeout()).isFalse();

        Timeout built = Timeout.builder("t").duration(Duration.ofMillis(300)).scheduler(scheduler).clock(clock)
                .cancelOnTimeout(true).build();
        assertThat(built.duration()).isEqualTo(Duration.ofMillis(300));
        assertThat(built.scheduler()).isSameAs(scheduler);
        assertThat(built.clock()).isSameAs(clock);
        assertThat(built.cancelOnTimeout()).isTrue();
    }

    @Test
    void bulkheadRetryBudgetAndFallbackReportTheirDefaultsAndWhatWasBuilt() {
        Bulkhead bulkhead = Bulkhead.builder("b").build();
        assertThat(bulkhead.maxConcurrentCalls()).isEqualTo(25);
        assertThat(bulkhead.maxWait()).isEqualTo(Duration.ZERO);
        Bulkhead builtBulkhead = Bulkhead.builder("b").maxConcurrentCalls(3).maxWait(Duration.ofMillis(40)).build();
        assertThat(builtBulkhead.maxConcurrentCalls()).isEqualTo(3);
        assertThat(builtBulkhead.maxWait()).isEqualTo(Duration.ofMillis(40));

        RetryBudget budget = RetryBudget.builder().build();
        assertThat(budget.retryRatio()).isEqualTo(0.2);
        assertThat(budget.minRetriesPerSecond()).isEqualTo(10);
        assertThat(budget.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(budget.clock()).isSameAs(Clock.system());
        RetryBudget builtBudget = RetryBudget.builder().retryRatio(0.5).minRetriesPerSecond(2)
                .window(Duration.ofSeconds(30)).clock(clock).build();
        assertThat(builtBudget.retryRatio()).isEqualTo(0.5);
        assertThat(builtBudget.minRetriesPerSecond()).isEqualTo(2);
        assertThat(builtBudget.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(builtBudget.clock()).isSameAs(clock);

        Fallback<String> fallback = Fallback.of("x");
        assertThat(fallback.name()).isEqualTo("fallback");
        assertThat(fallback.handle()).isEmpty();
        assertThat(fallback.handleIf()).isNull();
        assertThat(fallback.handleResult()).isNull();
        assertThat(fallback.isAsync()).isFalse();
        Predicate<Throwable> handleIf = t -> true;
        Predicate<String> handleResult = String::isEmpty;
        Fallback<String> builtFallback = Fallback.<String>builder(failure -> "x").name("f").handle(IOException.class)
                .handleIf(handleIf).handleResult(handleResult).build();
        assertThat(builtFallback.name()).isEqualTo("f");
        assertThat(builtFallback.handle()).containsExactly(IOException.class);
        assertThat(builtFallback.handleIf()).isSameAs(handleIf);
        assertThat(builtFallback.handleResult()).isSameAs(handleResult);
        assertThat(Fallback.ofStage(failure -> java.util.concurrent.CompletableFuture.completedFuture("x")).isAsync())
                .isTrue();
    }
}
