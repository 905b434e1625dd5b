package dev.resilience.benchmarks.cache;

import dev.resilience.cache.CacheLoader;
import dev.resilience.cache.RedisCache;
import dev.resilience.redis.RedisConnection;
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
import org.redisson.api.RBucket;
import org.redisson.api.RMapCache;
import org.redisson.api.RedissonClient;
import org.springframework.cache.Cache;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Redis hit, no local tier on any side: the same 1,000 keys, the same {@code byte[]} values (100 B and
 * 1 KiB, stored as they are), read at random by synchronous callers ({@code -t 1}, {@code -t 8}). Ours
 * ({@code get(key, loader)}, one {@code GET}), Spring Data Redis's {@code RedisCacheManager} on Lettuce
 * ({@code Cache.get(key)}, one {@code GET} on its shared native connection), Redisson's {@code RBucket}
 * (one {@code GET}) and {@code RMapCache} (its expiring map: a Lua script per read). The values are written
 * once in setup; a hit never loads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisHitBenchmark {

    private static final int KEYS = 1000;
    private static final CacheLoader<byte[]> NEVER = key -> {
        throw new IllegalStateException("a Redis hit never loads: " + key);
    };

    @Param({"100", "1024"})
    public int valueSize;

    private String[] keys;
    private RedisConnection<String, byte[]> connection;
    private RedisCache<byte[]> ours;
    private LettuceConnectionFactory springFactory;
    private Cache spring;
    private RedissonClient redisson;
    private RBucket<byte[]>[] redissonBuckets;
    private RMapCache<String, byte[]> redissonMapCache;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        keys = CachePeers.keys(KEYS);
        connection = CachePeers.oursConnection();
        CachePeers.awaitConnected(connection);
        ours = CachePeers.ours("hit" + valueSize, connection).build();
        springFactory = CachePeers.springConnectionFactory();
        RedisCacheManager manager = CachePeers.springCacheManager(springFactory);
        spring = manager.getCache("hit" + valueSize);
        redisson = CachePeers.redisson();
        redissonBuckets = new RBucket[KEYS];
        redissonMapCache = redisson.getMapCache("bench:redisson:map" + valueSize);
        for (int i = 0; i < KEYS; i++) {
            byte[] value = CachePeers.value(valueSize, i);
            ours.put(keys[i], value);
            spring.put(keys[i], value);
            redissonBuckets[i] = redisson.getBucket("bench:redisson:bucket" + valueSize + ":" + keys[i]);
            redissonBuckets[i].set(value, CachePeers.TTL);
            redissonMapCache.fastPut(keys[i], value, CachePeers.TTL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @TearDown
    public void tearDown() {
        // a figure measured while our breaker kept the cache off Redis would be meaningless: say so
        System.out.println("ours: Redis hits " + ours.stats().redisHits() + ", misses " + ours.stats().redisMisses()
                + ", Redis errors " + ours.stats().redisErrors() + (ours.redisOutage() ? ", BREAKER OPEN" : ""));
        ours.close();
        connection.close();
        springFactory.destroy();
        redisson.shutdown();
    }

    private int index() {
        return ThreadLocalRandom.current().nextInt(KEYS);
    }

    @Benchmark
    public byte[] ours() {
        return ours.get(keys[index()], NEVER);
    }

    @Benchmark
    public byte[] springRedisCacheManager() {
        return spring.get(keys[index()], byte[].class);
    }

    @Benchmark
    public byte[] redissonBucket() {
        return redissonBuckets[index()].get();
    }

    @Benchmark
    public byte[] redissonMapCache() {
        return redissonMapCache.get(keys[index()]);
    }
}
