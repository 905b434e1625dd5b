package dev.resilience.benchmarks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.resilience.cache.CacheLoader;
import dev.resilience.cache.RedisCache;
import dev.resilience.core.CoarseClock;
import dev.resilience.redis.RedisConnection;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;

/**
 * A hit in the local tier, the same 1,000 keys and values on every side (all held locally, looked up at
 * random): our two-tier cache ({@code get(key, loader)}, local tier of 10,000 entries kept 5 s, Redis
 * behind it; with the default system clock, and with {@code clock(CoarseClock.system())}, which makes the
 * hit's one clock reading a field read instead of {@code System.nanoTime()}), a bare Caffeine cache of the same size ({@code getIfPresent}: the floor), and Redisson's
 * two-tier {@code RLocalCachedMap} (local cache of 10,000, invalidation messages, LRU, and
 * {@code useObjectAsCacheKey(true)}: its local cache keyed by the key object rather than by a hash of the
 * key's encoded bytes, which it computes on every read otherwise). Run with
 * {@code -prof gc}: the goal is 0 B/op (the value already exists; a hit must not allocate).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LocalTierBenchmark {

    private static final int KEYS = 1000;
    private static final CacheLoader<byte[]> NEVER = CachePeers.NEVER;

    @Param({"100", "1024"})
    public int valueSize;

    private String[] keys;
    private RedisConnection<String, byte[]> connection;
    private RedisCache<byte[]> ours;
    private RedisCache<byte[]> oursCoarse;
    private Cache<String, byte[]> caffeine;
    private RedissonClient redisson;
    private RLocalCachedMap<String, byte[]> redissonLocal;

    @Setup
    public void setUp() {
        keys = CachePeers.keys(KEYS);
        connection = CachePeers.oursConnection();
        CachePeers.awaitConnected(connection);
        ours = CachePeers.ours("local" + valueSize, connection).localTier(10_000, Duration.ofSeconds(5)).build();
        oursCoarse = CachePeers.ours("coarse" + valueSize, connection).localTier(10_000, Duration.ofSeconds(5))
                .clock(CoarseClock.system()).build();
        caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
        redisson = CachePeers.redisson();
        redissonLocal = CachePeers.redissonLocal(redisson, "bench:redisson:local" + valueSize);
        CachePeers.fillLocalTiers(keys, valueSize, ours, oursCoarse, caffeine, redissonLocal);
    }

    @TearDown
    public void tearDown() {
        System.out.println("ours: local hits " + ours.stats().localHits() + ", local misses " + ours.stats().localMisses()
                + ", Redis errors " + ours.stats().redisErrors() + "; Redisson local entries " + redissonLocal.getCachedMap().size());
        ours.close();
        oursCoarse.close();
        connection.close();
        redisson.shutdown();
    }

    private String key() {
        return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }

    @Benchmark
    public byte[] caffeineGetIfPresent() {
        return caffeine.getIfPresent(key());
    }

    @Benchmark
    public byte[] oursLocalHit() {
        return ours.get(key(), NEVER);
    }

    @Benchmark
    public byte[] oursLocalHitCoarseClock() {
        return oursCoarse.get(key(), NEVER);
    }

    @Benchmark
    public byte[] redissonLocalCachedMap() {
        return redissonLocal.get(key());
    }
}
