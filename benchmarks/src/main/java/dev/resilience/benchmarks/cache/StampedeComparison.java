package dev.resilience.benchmarks.cache;

import dev.resilience.cache.RedisCache;
import dev.resilience.redis.RedisConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.redisson.api.RedissonClient;
import org.redisson.spring.cache.CacheConfig;
import org.redisson.spring.cache.RedissonSpringCacheManager;
import org.springframework.cache.Cache;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The database load of a hot key that expires under load: a plain main (one operation is a whole burst,
 * not a JMH subject). Each round removes the hot key (as its expiry would) and then {@code threads}
 * callers, spread over {@code instances} independent cache instances (each with its own Redis
 * connections, as separate services would be), ask for it at the same moment; the loader (the "database")
 * takes {@code loaderMillis}. Counted: loader calls per round and each caller's latency.
 *
 * <p>Sides, in a rotating order each round so a drift of the machine's load hits all of them:
 * <ul>
 *   <li>{@code ours}: {@code RedisCache.get(key, loader)} (single flight per instance, a Redis lease across
 *       instances, default 5 s);</li>
 *   <li>{@code spring-sync}: Spring Data Redis's {@code RedisCache.get(key, Callable)}, what
 *       {@code @Cacheable(sync = true)} calls, on its default non-locking cache writer: in Spring Data Redis
 *       3.5 that takes no lock at all, not even within an instance (every caller that misses loads);</li>
 *   <li>{@code spring-locking}: the same on Spring's locking cache writer (a Redis lock per cache, held
 *       while one caller loads; the others poll it every 50 ms);</li>
 *   <li>{@code spring-plain}: Spring's {@code get} then {@code put} on a miss, what {@code @Cacheable} without
 *       {@code sync} does;</li>
 *   <li>{@code redisson}: Redisson's Spring cache ({@code RedissonSpringCacheManager}, {@code get(key, Callable)}:
 *       a Redis lock per key across instances).</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.cache.StampedeComparison [threads] [instances] [rounds] [loaderMillis]
 * </pre>
 * defaults 100 3 5 20; Redis from {@code RESILIENCE_BENCH_REDIS_URI}.
 */
public final class StampedeComparison {

    private static final String KEY = "hot:order:42";

    private StampedeComparison() {
    }

    /** One side: a get through instance {@code i}, a way to drop the hot key, and closing. */
    private interface Side extends AutoCloseable {
        byte[] get(int instance, java.util.concurrent.Callable<byte[]> loader) throws Exception;

        void expire();

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int instances = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int loaderMillis = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        byte[] value = CachePeers.value(1024, 42);

        List<String> names = List.of("ours", "spring-sync", "spring-locking", "spring-plain", "redisson");
        List<Side> sides = List.of(ours(instances), spring(instances, true, false), spring(instances, true, true),
                spring(instances, false, false), redisson(instances));
        int[][] loads = new int[sides.size()][rounds];
        List<List<Long>> latencies = new ArrayList<>();
        for (int s = 0; s < sides.size(); s++) {
            latencies.add(new ArrayList<>());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // one unmeasured warm-up round per side (class loading, connections, scripts)
            for (Side side : sides) {
                burst(pool, side, threads, instances, loaderMillis, value, new ArrayList<>());
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < sides.size(); k++) {
                    int s = (r + k) % sides.size();
                    loads[s][r] = burst(pool, sides.get(s), threads, instances, loaderMillis, value, latencies.get(s));
                }
            }
        } finally {
            pool.shutdownNow();
            for (Side side : sides) {
                side.close();
            }
        }
        System.out.printf("%d callers over %d instances, loader %d ms, %d rounds (after one warm-up round)%n",
                threads, instances, loaderMillis, rounds);
        System.out.printf("%-15s %-28s %12s %9s %9s %9s%n", "side", "loader calls per round", "mean calls", "p50 ms", "p99 ms", "max ms");
        for (int s = 0; s < sides.size(); s++) {
            long[] sorted = latencies.get(s).stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%-15s %-28s %12.1f %9.1f %9.1f %9.1f%n", names.get(s), Arrays.toString(loads[s]),
                    Arrays.stream(loads[s]).average().orElse(0), millis(sorted, 0.50), millis(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        }
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /** Drops the hot key, releases all callers together, answers how many times the loader ran. */
    private static int burst(ExecutorService pool, Side side, int threads, int instances, int loaderMillis, byte[] value,
                             List<Long> latencies) throws Exception {
        side.expire();
        AtomicInteger loads = new AtomicInteger();
        java.util.concurrent.Callable<byte[]> loader = () -> {
            loads.incrementAndGet();
            Thread.sleep(loaderMillis);
            return value;
        };
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Long>> calls = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int instance = t % instances;
            calls.add(pool.submit(() -> {
                start.await();
                long begin = System.nanoTime();
                byte[] got = side.get(instance, loader);
                long took = System.nanoTime() - begin;
                if (got == null || got.length != value.length) {
                    throw new IllegalStateException("wrong value");
                }
                return took;
            }));
        }
        for (Future<Long> call : calls) {
            latencies.add(call.get(60, TimeUnit.SECONDS));
        }
        return loads.get();
    }

    private static Side ours(int instances) {
        List<RedisConnection<String, byte[]>> connections = new ArrayList<>();
        List<RedisCache<byte[]>> caches = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            RedisConnection<String, byte[]> connection = CachePeers.oursConnection();
            CachePeers.awaitConnected(connection);
            connections.add(connection);
            caches.add(CachePeers.ours("stampede", connection).build());
        }
        return new Side() {
            @Override
            public byte[] get(int instance, java.util.concurrent.Callable<byte[]> loader) {
                return caches.get(instance).get(KEY, key -> loader.call());
            }

            @Override
            public void expire() {
                caches.get(0).invalidate(KEY);
            }

            @Override
            public void close() {
                caches.forEach(RedisCache::close);
                connections.forEach(RedisConnection::close);
            }
        };
    }

    private static Side spring(int instances, boolean sync, boolean locking) {
        List<LettuceConnectionFactory> factories = new ArrayList<>();
        List<Cache> caches = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            LettuceConnectionFactory factory = CachePeers.springConnectionFactory();
            factories.add(factory);
            caches.add(CachePeers.springCacheManager(factory, locking)
                    .getCache(locking ? "stampede-locking" : sync ? "stampede-sync" : "stampede-plain"));
        }
        return new Side() {
            @Override
            public byte[] get(int instance, java.util.concurrent.Callable<byte[]> loader) throws Exception {
                Cache cache = caches.get(instance);
                if (sync) {
                    return cache.get(KEY, loader);
                }
                Cache.ValueWrapper cached = cache.get(KEY);
                if (cached != null) {
                    return (byte[]) cached.get();
                }
                byte[] loaded = loader.call();
                cache.put(KEY, loaded);
                return loaded;
            }

            @Override
            public void expire() {
                caches.get(0).evict(KEY);
            }

            @Override
            public void close() {
                factories.forEach(LettuceConnectionFactory::destroy);
            }
        };
    }

    private static Side redisson(int instances) {
        List<RedissonClient> clients = new ArrayList<>();
        List<Cache> caches = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            RedissonClient client = CachePeers.redisson();
            clients.add(client);
            RedissonSpringCacheManager manager = new RedissonSpringCacheManager(client,
                    Map.of("bench:redisson:stampede", new CacheConfig(CachePeers.TTL.toMillis(), 0)), CachePeers.REDISSON_CODEC);
            caches.add(manager.getCache("bench:redisson:stampede"));
        }
        return new Side() {
            @Override
            public byte[] get(int instance, java.util.concurrent.Callable<byte[]> loader) {
                return caches.get(instance).get(KEY, loader);
            }

            @Override
            public void expire() {
                caches.get(0).evict(KEY);
            }

            @Override
            public void close() {
                clients.forEach(RedissonClient::shutdown);
            }
        };
    }
}
