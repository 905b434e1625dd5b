package dev.resilience.benchmarks.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.resilience.core.Policy;
import dev.resilience.core.Resilience;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Retry around a circuit breaker, the most common composition, on the healthy path and with 1 % of calls
 * failing (each failure is retried once and the retry succeeds), {@link EqualSettings} everywhere: ours
 * ({@code Resilience.of(retry, breaker)}), Resilience4j's (decorators applied once per thread, at set-up)
 * and Failsafe's ({@code Failsafe.with(retryPolicy, circuitBreaker)}); the policies are shared by all
 * benchmark threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RetryCircuitBreakerBenchmark {

    private final Policy ours = Resilience.of(EqualSettings.retry("bench"), EqualSettings.breaker("bench"));
    private final Policy oursCoarseClock =
            Resilience.of(EqualSettings.retry("bench-coarse"), EqualSettings.breakerWithCoarseClock("bench-coarse"));
    private final io.github.resilience4j.retry.Retry resilience4jRetry = EqualSettings.resilience4jRetry("bench");
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jBreaker =
            EqualSettings.resilience4jBreaker("bench", SlidingWindowSynchronizationStrategy.SYNCHRONIZED);
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jLockFreeBreaker =
            EqualSettings.resilience4jBreaker("bench-lock-free", SlidingWindowSynchronizationStrategy.LOCK_FREE);
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jLockFreeCoarseClockBreaker =
            EqualSettings.resilience4jBreakerWithCoarseClock("bench-lock-free-coarse");
    private final FailsafeExecutor<Integer> failsafe =
            Failsafe.with(EqualSettings.failsafeRetry(), EqualSettings.failsafeBreaker());

    /** Ours, calls timed with System.nanoTime(). */
    @Benchmark
    public Object resilience(Caller caller) {
        try {
            return ours.call(caller.callable);
        } catch (Exception e) {
            return e;
        }
    }

    /** Ours, calls timed with the shared 1 ms CoarseClock. */
    @Benchmark
    public Object resilienceCoarseClock(Caller caller) {
        try {
            return oursCoarseClock.call(caller.callable);
        } catch (Exception e) {
            return e;
        }
    }

    /** Resilience4j, its default synchronized window. */
    @Benchmark
    public Object resilience4j(ResilienceFourJCaller caller) {
        try {
            return caller.decorated.call();
        } catch (Exception e) {
            return e;
        }
    }

    /** Resilience4j, its lock-free window. */
    @Benchmark
    public Object resilience4jLockFree(ResilienceFourJCaller caller) {
        try {
            return caller.decoratedLockFree.call();
        } catch (Exception e) {
            return e;
        }
    }

    /** Resilience4j, its lock-free window, timing calls with the same CoarseClock as ours: the like-for-like row. */
    @Benchmark
    public Object resilience4jLockFreeCoarseClock(ResilienceFourJCaller caller) {
        try {
            return caller.decoratedLockFreeCoarseClock.call();
        } catch (Exception e) {
            return e;
        }
    }

    @Benchmark
    public Object failsafe(Caller caller) {
        try {
            return failsafe.get(caller.supplier);
        } catch (FailsafeException e) {
            return e;
        }
    }

    /** Resilience4j composes by decorating a callable: done once per thread, at set-up, not per call. */
    @State(Scope.Thread)
    public static class ResilienceFourJCaller {
        Callable<Integer> decorated;
        Callable<Integer> decoratedLockFree;
        Callable<Integer> decoratedLockFreeCoarseClock;

        @Setup
        public void decorate(RetryCircuitBreakerBenchmark benchmark, Caller caller) {
            decorated = io.github.resilience4j.retry.Retry.decorateCallable(benchmark.resilience4jRetry,
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCallable(
                            benchmark.resilience4jBreaker, caller.callable));
            decoratedLockFree = io.github.resilience4j.retry.Retry.decorateCallable(benchmark.resilience4jRetry,
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCallable(
                            benchmark.resilience4jLockFreeBreaker, caller.callable));
            decoratedLockFreeCoarseClock = io.github.resilience4j.retry.Retry.decorateCallable(benchmark.resilience4jRetry,
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCallable(
                            benchmark.resilience4jLockFreeCoarseClockBreaker, caller.callable));
        }
    }
}
