package dev.resilience.benchmarks.core;

import dev.failsafe.RetryPolicy;
import dev.resilience.core.Backoff;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CoarseClock;
import dev.resilience.core.Retry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One configuration, built for each library: the settings the headline rows compare. A count window of
 * the last 100 calls judged once it holds 100, failure-rate threshold 50 %, slow-call detection on in
 * both ours and Resilience4j's (slow from 1 s, slow-call rate threshold 100 %), open 60 s; retry: 3
 * attempts, no wait between them. Failsafe 3 has no minimum-calls setting separate from its window and
 * no slow-call detection: it gets "50 failures of the last 100 executions".
 */
final class EqualSettings {

    static final int WINDOW = 100;
    static final int MINIMUM_CALLS = 100;
    static final int FAILURE_RATE = 50;
    static final Duration SLOW_CALL = Duration.ofSeconds(1);
    static final Duration OPEN = Duration.ofSeconds(60);
    static final int ATTEMPTS = 3;

    private EqualSettings() {
    }

    /** Ours, timing calls with the system clock (two {@code System.nanoTime()} calls per call). */
    static CircuitBreaker breaker(String name) {
        return breakerBuilder(name).build();
    }

    /** Ours, timing calls with the shared 1 ms {@link CoarseClock}. */
    static CircuitBreaker breakerWithCoarseClock(String name) {
        return breakerBuilder(name).callClock(CoarseClock.system()).build();
    }

    private static CircuitBreaker.Builder breakerBuilder(String name) {
        return CircuitBreaker.builder(name).countBasedWindow(WINDOW).minimumNumberOfCalls(MINIMUM_CALLS)
                .failureRateThreshold(FAILURE_RATE).slowCallDuration(SLOW_CALL).slowCallRateThreshold(100)
                .openDuration(OPEN);
    }

    static Retry retry(String name) {
        return Retry.builder(name).maxAttempts(ATTEMPTS).backoff(Backoff.none()).build();
    }

    /** Resilience4j with its default (synchronized) window or its lock-free one, timing with System.nanoTime(). */
    static io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jBreaker(String name,
            SlidingWindowSynchronizationStrategy strategy) {
        return io.github.resilience4j.circuitbreaker.CircuitBreaker.of(name, resilience4jConfig(strategy).build());
    }

    /** Resilience4j, lock-free window, reading the same coarse clock as ours for call durations. */
    static io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jBreakerWithCoarseClock(String name) {
        CoarseClock coarse = CoarseClock.system();
        return io.github.resilience4j.circuitbreaker.CircuitBreaker.of(name,
                resilience4jConfig(SlidingWindowSynchronizationStrategy.LOCK_FREE)
                        .currentTimestampFunction(clock -> coarse.nanoTime(), TimeUnit.NANOSECONDS).build());
    }

    private static CircuitBreakerConfig.Builder resilience4jConfig(SlidingWindowSynchronizationStrategy strategy) {
        return CircuitBreakerConfig.custom()
                .slidingWindow(WINDOW, MINIMUM_CALLS, SlidingWindowType.COUNT_BASED, strategy)
                .failureRateThreshold(FAILURE_RATE)
                .slowCallDurationThreshold(SLOW_CALL).slowCallRateThreshold(100)
                .waitDurationInOpenState(OPEN)
                .writableStackTraceEnabled(false);
    }

    static io.github.resilience4j.retry.Retry resilience4jRetry(String name) {
        return io.github.resilience4j.retry.Retry.of(name,
                RetryConfig.custom().maxAttempts(ATTEMPTS).waitDuration(Duration.ZERO).build());
    }

    static dev.failsafe.CircuitBreaker<Integer> failsafeBreaker() {
        return dev.failsafe.CircuitBreaker.<Integer>builder().withFailureThreshold(WINDOW * FAILURE_RATE / 100, WINDOW)
                .withDelay(OPEN).build();
    }

    static RetryPolicy<Integer> failsafeRetry() {
        return RetryPolicy.<Integer>builder().withMaxAttempts(ATTEMPTS).build();
    }
}
