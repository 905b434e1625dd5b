package dev.resilience.benchmarks.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
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
import org.openjdk.jmh.annotations.State;

/**
 * Retry around a circuit breaker, the most common composition, on the success path with default settings:
 * ours ({@code Resilience.of(retry, breaker)}), Resilience4j's (decorators applied once, at set-up) and
 * Failsafe's ({@code Failsafe.with(retryPolicy, circuitBreaker)}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RetryCircuitBreakerBenchmark {

    private final CircuitBreakerBenchmark.Work work = new CircuitBreakerBenchmark.Work();
    private final Callable<Integer> callable = work::call;
    private final CheckedSupplier<Integer> supplier = work::call;

    private final Policy ours = Resilience.of(Retry.ofDefaults("bench"), CircuitBreaker.ofDefaults("bench"));
    private final Callable<Integer> resilience4j = io.github.resilience4j.retry.Retry.decorateCallable(
            io.github.resilience4j.retry.Retry.ofDefaults("bench"),
            io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCallable(
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench"), callable));
    private final FailsafeExecutor<Integer> failsafe =
            Failsafe.with(RetryPolicy.<Integer>ofDefaults(), dev.failsafe.CircuitBreaker.<Integer>ofDefaults());

    @Benchmark
    public Integer resilience() throws Exception {
        return ours.call(callable);
    }

    @Benchmark
    public Integer resilience4j() throws Exception {
        return resilience4j.call();
    }

    @Benchmark
    public Integer failsafe() {
        return failsafe.get(supplier);
    }
}
