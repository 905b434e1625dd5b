package dev.resilience.benchmarks.pool;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A complement to the JMH run for a shared, loaded machine: runs {@link PoolBenchmark}'s three
 * methods in alternating 2-second windows (the order reversed every round), so load changes from
 * other processes hit all three alike, and reports throughput and client CPU time per operation
 * (thread CPU time of the two caller threads: what our layers add, without the database's wait).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.pool.InterleavedPoolComparison [rounds]</pre>
 */
public final class InterleavedPoolComparison {

    private static final int THREADS = 2;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int WARMUP_ROUNDS = 2;

    private interface Operation {
        int run() throws Exception;
    }

    private InterleavedPoolComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        PoolBenchmark bench = new PoolBenchmark();
        bench.setUp();
        try {
            String[] names = {"rawHikari", "resilientConnection", "resilientTransaction"};
            Operation[] operations = {bench::rawHikari, bench::resilientConnection, bench::resilientTransaction};
            long[] ops = new long[names.length];
            long[] cpuNanos = new long[names.length];
            for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
                for (int i = 0; i < names.length; i++) {
                    int k = Math.floorMod(round, 2) == 0 ? i : names.length - 1 - i;
                    long[] window = window(operations[k]);
                    if (round >= 0) {
                        ops[k] += window[0];
                        cpuNanos[k] += window[1];
                    }
                }
            }
            double seconds = rounds * WINDOW_NANOS / 1e9;
            double baseOps = ops[0] / seconds;
            double baseCpu = cpuNanos[0] / 1000.0 / ops[0];
            for (int i = 0; i < names.length; i++) {
                double throughput = ops[i] / seconds;
                double cpu = cpuNanos[i] / 1000.0 / ops[i];
                System.out.printf("%-22s %9.0f ops/s  ratio %.3f   client cpu %6.2f us/op  ratio %.3f%n",
                        names[i], throughput, throughput / baseOps, cpu, cpu / baseCpu);
            }
        } finally {
            bench.tearDown();
        }
    }

    private static long[] window(Operation operation) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LongAdder ops = new LongAdder();
        LongAdder cpu = new LongAdder();
        long end = System.nanoTime() + WINDOW_NANOS;
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(executor.submit(() -> {
                    long start = threads.getCurrentThreadCpuTime();
                    while (System.nanoTime() < end) {
                        operation.run();
                        ops.increment();
                    }
                    cpu.add(threads.getCurrentThreadCpuTime() - start);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            executor.shutdown();
        }
        return new long[] {ops.sum(), cpu.sum()};
    }
}
