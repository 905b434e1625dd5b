package dev.resilience.benchmarks.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.resilience.core.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A CLOSED circuit breaker on the healthy path and with 1 % of calls failing ({@link Caller}), one breaker
 * shared by all benchmark threads, every library with {@link EqualSettings} (slow-call detection on in
 * ours and Resilience4j's) unless the method's name says otherwise. Run with {@code -prof gc} to see
 * allocation per call. A failed call's exception is returned, not thrown, so JMH keeps measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CircuitBreakerBenchmark {

    private final CircuitBreaker ours = EqualSettings.breaker("bench");
    private final CircuitBreaker oursCoarseClock = EqualSettings.breakerWithCoarseClock("bench-coarse");
    private final CircuitBreaker oursDefaults = CircuitBreaker.ofDefaults("bench-defaults");
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j =
            EqualSettings.resilience4jBreaker("bench", SlidingWindowSynchronizationStrategy.SYNCHRONIZED);
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jLockFree =
            EqualSettings.resilience4jBreaker("bench-lock-free", SlidingWindowSynchronizationStrategy.LOCK_FREE);
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jLockFreeCoarseClock =
            EqualSettings.resilience4jBreakerWithCoarseClock("bench-lock-free-coarse");
    private final FailsafeExecutor<Integer> failsafe = Failsafe.with(EqualSettings.failsafeBreaker());

    /** The work alone, no policy. */
    @Benchmark
    public Object plainCall(Caller caller) {
        try {
            return caller.callable.call();
        } catch (Exception e) {
            return e;
        }
    }

    /** Ours, equal settings, calls timed with System.nanoTime(). */
    @Benchmark
    public Object resilience(Caller caller) {
        try {
            return ours.call(caller.callable);
        } catch (Exception e) {
            return e;
        }
    }

    /** Ours, equal settings, calls timed with the shared 1 ms CoarseClock. */
    @Benchmark
    public Object resilienceCoarseClock(Caller caller) {
        try {
            return oursCoarseClock.call(caller.callable);
        } catch (Exception e) {
            return e;
        }
    }

    /** Ours with our defaults (no slow-call detection, so no clock read; minimum 10 calls): not equal settings. */
    @Benchmark
    public Object resilienceDefaults(Caller caller) {
        try {
            return oursDefaults.call(caller.callable);
        } catch (Exception e) {
            return e;
        }
    }

    /** Resilience4j, equal settings, its default synchronized window. */
    @Benchmark
    public Object resilience4j(Caller caller) {
        try {
            return resilience4j.executeCallable(caller.callable);
        } catch (Exception e) {
            return e;
        }
    }

    /** Resilience4j, equal settings, its lock-free window. */
    @Benchmark
    public Object resilience4jLockFree(Caller caller) {
        try {
            return resilience4jLockFree.executeCallable(caller.callable);
        } catch (Exception e) {
            return e;
        }
    }

    /** Resilience4j, equal settings, lock-free window, timing calls with the same CoarseClock as ours. */
    @Benchmark
    public Object resilience4jLockFreeCoarseClock(Caller caller) {
        try {
            return resilience4jLockFreeCoarseClock.executeCallable(caller.callable);
        } catch (Exception e) {
            return e;
        }
    }

    /** Failsafe: 50 failures of the last 100 executions (it has no slow-call detection). */
    @Benchmark
    public Object failsafe(Caller caller) {
        try {
            return failsafe.get(caller.supplier);
        } catch (FailsafeException e) {
            return e;
        }
    }
}
