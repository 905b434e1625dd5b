package dev.resilience.benchmarks.core;

import dev.resilience.core.CoarseClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What one reading of each time source costs on this machine: a breaker with slow-call detection reads
 * its call clock twice per call, so this bounds how fast it can go.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClockBenchmark {

    private final CoarseClock coarse = CoarseClock.system();

    @Benchmark
    public long systemNanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public long coarseClock() {
        return coarse.nanoTime();
    }
}
