package dev.resilience.benchmarks.cache;

import dev.resilience.cache.CacheLoader;
import dev.resilience.cache.RedisCache;
import dev.resilience.redis.RedisConnection;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.springframework.cache.Cache;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis hit of {@link RedisHitBenchmark} (same caches, keys, values) measured as the client process's
 * CPU time per hit (every thread: callers, Lettuce's and Redisson's event loops; the Redis server is a
 * separate process doing one {@code GET} per hit on every side), the sides alternating in blocks. On a
 * loaded machine this moves far less than throughput does; when the client is CPU-bound (many threads on few
 * cores) it is what decides throughput. A cross-check of the JMH run, not a replacement for it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.cache.RedisHitCpuComparison [valueSize] [threads] [rounds] [hitsPerBlock]
 * </pre>
 * defaults 100 8 7 20000; Redis from {@code RESILIENCE_BENCH_REDIS_URI}.
 */
public final class RedisHitCpuComparison {

    private static final int KEYS = 1000;

    private RedisHitCpuComparison() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        int valueSize = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        int hits = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        String[] keys = CachePeers.keys(KEYS);
        CacheLoader<byte[]> never = key -> {
            throw new IllegalStateException("a Redis hit never loads: " + key);
        };
        RedisConnection<String, byte[]> connection = CachePeers.oursConnection();
        CachePeers.awaitConnected(connection);
        LettuceConnectionFactory springFactory = CachePeers.springConnectionFactory();
        RedissonClient redisson = CachePeers.redisson();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (RedisCache<byte[]> ours = CachePeers.ours("cpuhit" + valueSize, connection).build()) {
            Cache spring = CachePeers.springCacheManager(springFactory).getCache("cpuhit" + valueSize);
            RBucket<byte[]>[] buckets = new RBucket[KEYS];
            for (int i = 0; i < KEYS; i++) {
                byte[] value = CachePeers.value(valueSize, i);
                ours.put(keys[i], value);
                spring.put(keys[i], value);
                buckets[i] = redisson.getBucket("bench:redisson:cpuhit" + valueSize + ":" + keys[i]);
                buckets[i].set(value, CachePeers.TTL);
            }
            String[] names = {"ours get", "Spring RedisCacheManager", "Redisson RBucket"};
            Function<Integer, byte[]>[] sides = new Function[] {
                (Function<Integer, byte[]>) i -> ours.get(keys[i], never),
                (Function<Integer, byte[]>) i -> spring.get(keys[i], byte[].class),
                (Function<Integer, byte[]>) i -> buckets[i].get()};
            double[][] cpu = new double[sides.length][rounds];
            double[][] rate = new double[sides.length][rounds];
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                for (int k = 0; k < sides.length; k++) {
                    int s = (Math.max(r, 0) + k) % sides.length;
                    Function<Integer, byte[]> side = sides[s];
                    long cpuStart = os.getProcessCpuTime();
                    long wallStart = System.nanoTime();
                    Future<?>[] calls = new Future<?>[threads];
                    for (int t = 0; t < threads; t++) {
                        calls[t] = pool.submit(() -> {
                            for (int i = 0; i < hits / threads; i++) {
                                if (side.apply(ThreadLocalRandom.current().nextInt(KEYS)) == null) {
                                    throw new IllegalStateException("a miss");
                                }
                            }
                        });
                    }
                    for (Future<?> call : calls) {
                        call.get(5, TimeUnit.MINUTES);
                    }
                    long done = (long) (hits / threads) * threads;
                    if (r >= 0) {
                        cpu[s][r] = (os.getProcessCpuTime() - cpuStart) / 1000.0 / done;
                        rate[s][r] = done * 1e9 / (System.nanoTime() - wallStart);
                    }
                }
            }
            System.out.printf("value %d B, %d threads, %d rounds of %d hits per side; client process CPU per hit (all threads)%n",
                    valueSize, threads, rounds, hits);
            double oursCpu = median(cpu[0]);
            for (int s = 0; s < sides.length; s++) {
                System.out.printf("%-26s CPU median %6.1f us/hit (min %6.1f, max %6.1f)  throughput median %8.0f hits/s   ours uses %.2fx less CPU%n",
                        names[s], median(cpu[s]), Arrays.stream(cpu[s]).min().orElse(0), Arrays.stream(cpu[s]).max().orElse(0),
                        median(rate[s]), median(cpu[s]) / oursCpu);
            }
            System.out.println("ours: Redis hits " + ours.stats().redisHits() + ", misses " + ours.stats().redisMisses()
                    + ", Redis errors " + ours.stats().redisErrors());
        } finally {
            pool.shutdownNow();
            connection.close();
            springFactory.destroy();
            redisson.shutdown();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
