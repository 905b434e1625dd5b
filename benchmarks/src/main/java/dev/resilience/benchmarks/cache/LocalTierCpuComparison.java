package dev.resilience.benchmarks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.resilience.cache.CacheLoader;
import dev.resilience.cache.RedisCache;
import dev.resilience.core.CoarseClock;
import dev.resilience.redis.RedisConnection;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;

/**
 * The local-tier hit of {@link LocalTierBenchmark} (same caches, keys and values) measured in CPU time of
 * the calling thread rather than wall-clock throughput, the sides alternating in short blocks: on a
 * machine shared with other work, a thread's CPU time per operation moves far less than its throughput
 * (time spent waiting for a core is not counted), so the ratio survives a load that makes JMH's scores
 * meaningless. Not a replacement for the JMH run on a quiet machine; a cross-check.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.cache.LocalTierCpuComparison [valueSize] [rounds] [opsPerBlock]
 * </pre>
 * defaults 100 15 2000000; Redis from {@code RESILIENCE_BENCH_REDIS_URI} (ours and Redisson keep a Redis
 * behind their local tier).
 */
public final class LocalTierCpuComparison {

    private static final int KEYS = 1000;
    private static volatile Object sink;

    private LocalTierCpuComparison() {
    }

    public static void main(String[] args) throws Exception {
        int valueSize = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int ops = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
        String[] keys = CachePeers.keys(KEYS);
        CacheLoader<byte[]> never = CachePeers.NEVER;
        RedisConnection<String, byte[]> connection = CachePeers.oursConnection();
        CachePeers.awaitConnected(connection);
        RedissonClient redisson = CachePeers.redisson();
        try (RedisCache<byte[]> ours = CachePeers.ours("cpu" + valueSize, connection)
                .localTier(10_000, Duration.ofMinutes(10)).build();
             RedisCache<byte[]> oursCoarse = CachePeers.ours("cpucoarse" + valueSize, connection)
                     .localTier(10_000, Duration.ofMinutes(10)).clock(CoarseClock.system()).build()) {
            Cache<String, byte[]> caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
            RLocalCachedMap<String, byte[]> redissonLocal = CachePeers.redissonLocal(redisson, "bench:redisson:cpu" + valueSize);
            CachePeers.fillLocalTiers(keys, valueSize, ours, oursCoarse, caffeine, redissonLocal);
            String[] names = {"caffeine getIfPresent", "ours get (local hit)", "Redisson RLocalCachedMap", "ours, CoarseClock"};
            @SuppressWarnings("unchecked")
            Function<String, byte[]>[] sides = new Function[] {
                (Function<String, byte[]>) caffeine::getIfPresent,
                (Function<String, byte[]>) key -> ours.get(key, never),
                (Function<String, byte[]>) redissonLocal::get,
                (Function<String, byte[]>) key -> oursCoarse.get(key, never)};
            double[][] nanos = new double[sides.length][rounds];
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int r = -3; r < rounds; r++) { // three warm-up rounds
                for (int k = 0; k < sides.length; k++) {
                    int s = (Math.max(r, 0) + k) % sides.length;
                    int n = s == 2 ? ops / 10 : ops; // Redisson's hit is ~10x slower: fewer operations, same block time
                    long start = threads.getCurrentThreadCpuTime();
                    Function<String, byte[]> side = sides[s];
                    for (int i = 0; i < n; i++) {
                        sink = side.apply(keys[ThreadLocalRandom.current().nextInt(KEYS)]);
                    }
                    long took = threads.getCurrentThreadCpuTime() - start;
                    if (r >= 0) {
                        nanos[s][r] = took / (double) n;
                    }
                }
            }
            System.out.printf("value %d B, %d rounds of %d operations per side (Redisson %d), CPU ns per operation of the calling thread%n",
                    valueSize, rounds, ops, ops / 10);
            double caffeineMedian = median(nanos[0]);
            for (int s = 0; s < sides.length; s++) {
                double median = median(nanos[s]);
                System.out.printf("%-26s median %7.1f ns  (min %7.1f, max %7.1f)  %5.2fx caffeine%n", names[s], median,
                        Arrays.stream(nanos[s]).min().orElse(0), Arrays.stream(nanos[s]).max().orElse(0), median / caffeineMedian);
            }
            System.out.println("ours: local hits " + ours.stats().localHits() + ", local misses " + ours.stats().localMisses()
                    + "; with CoarseClock: " + oursCoarse.stats().localHits() + " / " + oursCoarse.stats().localMisses());
        } finally {
            connection.close();
            redisson.shutdown();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
