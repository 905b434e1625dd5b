package dev.resilience.benchmarks.ratelimit;

import dev.resilience.ratelimit.Decision;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.RateLimitListener;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RedisBackend;
import dev.resilience.ratelimit.RedisRateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Distributed decisions per second on the same Redis: our limiter (one EVALSHA per decision) against
 * Bucket4j's Lettuce proxy manager (compare-and-swap: a read, then a CAS script, retried on conflict).
 * Same token bucket (capacity 100, 100 per second) over 1000 keys; threads ({@code -t 1}, 4, 8) issue
 * synchronous calls, as request threads would. Bucket4j gets its best: a proxy per key built once, and
 * a second variant with {@code Optimizations.batching()}. Redis: {@code RESILIENCE_BENCH_REDIS_URI}, else {@code redis://127.0.0.1:6379};
 * keys under {@code bench:} with TTLs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisRateLimitBenchmark {

    private static final int KEYS = 1000;

    private RedisBackend backend;
    private RedisRateLimiter ours;
    private RedisClient bucket4jClient;
    private LettuceBasedProxyManager<byte[]> bucket4j;
    private BucketConfiguration bucket4jConfig;
    private Bucket[] bucket4jBuckets;
    private Bucket[] bucket4jBatched;
    private final LongAdder redisCalls = new LongAdder();
    private final LongAdder redisFailures = new LongAdder();
    private String[] keys;
    private byte[][] keyBytes;

    @Setup
    public void setUp() {
        String uri = System.getenv().getOrDefault("RESILIENCE_BENCH_REDIS_URI", "redis://127.0.0.1:6379");
        backend = RedisBackend.builder().uri(uri).commandTimeout(Duration.ofSeconds(1)).build();
        ours = RedisRateLimiter.builder("bench", RateLimitPolicy.of(Limit.tokenBucket("bucket", 100, 100, Duration.ofSeconds(1))))
                .backend(backend).keyPrefix("bench:ours:")
                .listener(new RateLimitListener() {
                    @Override
                    public void onRedisCall(String limiter, long nanos, boolean success) {
                        redisCalls.increment();
                        if (!success) {
                            redisFailures.increment();
                        }
                    }
                }).build();
        bucket4jClient = RedisClient.create(uri);
        bucket4j = Bucket4jLettuce.casBasedBuilder(bucket4jClient)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
        bucket4jConfig = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(100).refillGreedy(100, Duration.ofSeconds(1))).build();
        keys = new String[KEYS];
        keyBytes = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "ip:10.0." + (i / 256) + "." + (i % 256);
            keyBytes[i] = ("bench:b4j:" + keys[i]).getBytes(StandardCharsets.UTF_8);
        }
        // Bucket4j at its best: one proxy per key, built once; the batched ones combine concurrent
        // requests for the same key into one round trip (Optimizations.batching())
        bucket4jBuckets = new Bucket[KEYS];
        bucket4jBatched = new Bucket[KEYS];
        for (int i = 0; i < KEYS; i++) {
            bucket4jBuckets[i] = bucket4j.builder().build(keyBytes[i], bucket4jConfig);
            bucket4jBatched[i] = bucket4j.builder().withOptimization(Optimizations.batching())
                    .build(("bench:b4jb:" + keys[i]).getBytes(StandardCharsets.UTF_8), bucket4jConfig);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!backend.isConnected() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @TearDown
    public void tearDown() {
        // a figure measured on the in-memory fallback would be meaningless: say so
        System.out.println("ours: " + redisCalls.sum() + " Redis calls, " + redisFailures.sum() + " failed (decided by the fallback)"
                + (ours.fallbackActive() ? ", FALLBACK ACTIVE" : ""));
        ours.close();
        backend.close();
        bucket4jClient.shutdown();
    }

    @Benchmark
    public Decision ours() {
        return ours.tryAcquire(keys[ThreadLocalRandom.current().nextInt(KEYS)]);
    }

    @Benchmark
    public boolean bucket4jLettuce() {
        return bucket4jBuckets[ThreadLocalRandom.current().nextInt(KEYS)].tryConsume(1);
    }

    @Benchmark
    public boolean bucket4jLettuceBatching() {
        return bucket4jBatched[ThreadLocalRandom.current().nextInt(KEYS)].tryConsume(1);
    }
}
