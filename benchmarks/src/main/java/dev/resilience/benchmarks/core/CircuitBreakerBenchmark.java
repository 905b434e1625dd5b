package dev.resilience.benchmarks.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.micrometer.CircuitBreakerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The success path of a circuit breaker in CLOSED state, default settings everywhere: a plain call, ours,
 * Resilience4j's and Failsafe's, one breaker shared by all benchmark threads. Run with {@code -prof gc} to
 * see allocation per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CircuitBreakerBenchmark {

    private final CircuitBreaker ours = CircuitBreaker.ofDefaults("bench");
    private final CircuitBreaker oursWithMetrics = withMetrics(CircuitBreaker.ofDefaults("bench-metrics"));
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j =
            io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench");
    private final FailsafeExecutor<Integer> failsafe = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>ofDefaults());

    @Benchmark
    public Integer plainCall(Caller caller) throws Exception {
        return caller.callable.call();
    }

    @Benchmark
    public Integer resilience(Caller caller) throws Exception {
        return ours.call(caller.callable);
    }

    /** With the Micrometer binder attached: each call publishes an event to a counter. */
    @Benchmark
    public Integer resilienceWithMetrics(Caller caller) throws Exception {
        return oursWithMetrics.call(caller.callable);
    }

    @Benchmark
    public Integer resilience4j(Caller caller) throws Exception {
        return resilience4j.executeCallable(caller.callable);
    }

    @Benchmark
    public Integer failsafe(Caller caller) {
        return failsafe.get(caller.supplier);
    }

    private static CircuitBreaker withMetrics(CircuitBreaker breaker) {
        new CircuitBreakerMetrics(breaker).bindTo(new SimpleMeterRegistry());
        return breaker;
    }
}
