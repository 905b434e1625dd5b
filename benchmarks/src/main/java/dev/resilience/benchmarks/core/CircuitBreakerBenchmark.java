package dev.resilience.benchmarks.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.resilience.core.CircuitBreaker;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The success path of a circuit breaker in CLOSED state, default settings everywhere: a plain call, ours,
 * Resilience4j's and Failsafe's. Run with {@code -prof gc} to see allocation per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CircuitBreakerBenchmark {

    private final Work work = new Work();
    private final Callable<Integer> callable = work::call;
    private final CheckedSupplier<Integer> supplier = work::call;

    private final CircuitBreaker ours = CircuitBreaker.ofDefaults("bench");
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j =
            io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench");
    private final FailsafeExecutor<Integer> failsafe = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>ofDefaults());

    @Benchmark
    public Integer plainCall() throws Exception {
        return callable.call();
    }

    @Benchmark
    public Integer resilience() throws Exception {
        return ours.call(callable);
    }

    @Benchmark
    public Integer resilience4j() throws Exception {
        return resilience4j.executeCallable(callable);
    }

    @Benchmark
    public Integer failsafe() {
        return failsafe.get(supplier);
    }

    /** Cheap work whose result the JIT cannot fold away. */
    static final class Work {
        private int value;

        Integer call() {
            return ++value & 127; // stays in the Integer cache: the work itself allocates nothing
        }
    }
}
