package dev.resilience.benchmarks.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Policy;
import dev.resilience.core.Resilience;
import dev.resilience.core.Retry;
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
 * Retry around a circuit breaker, the most common composition, on the success path with default settings:
 * ours ({@code Resilience.of(retry, breaker)}), Resilience4j's (decorators applied once per thread, at
 * set-up) and Failsafe's ({@code Failsafe.with(retryPolicy, circuitBreaker)}); the policies are shared by
 * all benchmark threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RetryCircuitBreakerBenchmark {

    private final Policy ours = Resilience.of(Retry.ofDefaults("bench"), CircuitBreaker.ofDefaults("bench"));
    private final io.github.resilience4j.retry.Retry resilience4jRetry =
            io.github.resilience4j.retry.Retry.ofDefaults("bench");
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jBreaker =
            io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench");
    private final FailsafeExecutor<Integer> failsafe =
            Failsafe.with(RetryPolicy.<Integer>ofDefaults(), dev.failsafe.CircuitBreaker.<Integer>ofDefaults());

    @Benchmark
    public Integer resilience(Caller caller) throws Exception {
        return ours.call(caller.callable);
    }

    @Benchmark
    public Integer resilience4j(ResilienceFourJCaller caller) throws Exception {
        return caller.decorated.call();
    }

    @Benchmark
    public Integer failsafe(Caller caller) {
        return failsafe.get(caller.supplier);
    }

    /** Resilience4j composes by decorating a callable: done once per thread, at set-up, not per call. */
    @State(Scope.Thread)
    public static class ResilienceFourJCaller {
        Callable<Integer> decorated;

        @Setup
        public void decorate(RetryCircuitBreakerBenchmark benchmark, Caller caller) {
            decorated = io.github.resilience4j.retry.Retry.decorateCallable(benchmark.resilience4jRetry,
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCallable(
                            benchmark.resilience4jBreaker, caller.callable));
        }
    }
}
