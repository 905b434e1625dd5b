package dev.resilience.benchmarks.ratelimit;

import dev.resilience.core.CoarseClock;
import dev.resilience.ratelimit.Decision;
import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.RateLimitPolicy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One permit from an existing key, in memory: our limiter (a keyed lookup in its bounded cache, then a
 * CAS) against Bucket4j's local bucket (alone, and keyed through a ConcurrentHashMap as a service would
 * need) and Resilience4j's RateLimiter (alone, and keyed through its registry). Every limit is a token bucket large enough to admit the whole run,
 * so each call takes the admitting path. Bucket4j keyed runs with both of its synchronization strategies
 * (lock-free, its default, and synchronized), so its faster one can be taken.
 *
 * <p>The {@code ...CoarseClock} pair gives ours and Bucket4j the same {@link CoarseClock} (a field read
 * instead of a clock call, about 1 ms resolution): equal settings with the clock read taken out of both
 * sides, to show what the rest of each path costs. Resilience4j reads {@code System.nanoTime()} and
 * cannot be given a clock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InMemoryRateLimitBenchmark {

    private static final String KEY = "ip:198.51.100.7";
    private static final long CAPACITY = Integer.MAX_VALUE;

    private InMemoryRateLimiter ours;
    private Bucket bucket4j;
    private ConcurrentHashMap<String, Bucket> bucket4jByKey;
    private ConcurrentHashMap<String, Bucket> bucket4jSynchronizedByKey;
    private CoarseClock coarseClock;
    private InMemoryRateLimiter oursCoarse;
    private ConcurrentHashMap<String, Bucket> bucket4jCoarseByKey;
    private io.github.resilience4j.ratelimiter.RateLimiter resilience4j;
    private RateLimiterRegistry resilience4jRegistry;

    @Setup
    public void setUp() {
        ours = InMemoryRateLimiter.builder("bench", RateLimitPolicy.of(
                Limit.tokenBucket("bucket", CAPACITY, 1_000_000, Duration.ofSeconds(1)))).build();
        ours.tryAcquirePermission(KEY);
        bucket4j = newBucket();
        bucket4jByKey = new ConcurrentHashMap<>();
        bucket4jByKey.put(KEY, newBucket());
        bucket4jSynchronizedByKey = new ConcurrentHashMap<>();
        bucket4jSynchronizedByKey.put(KEY, bucketBuilder().withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED).build());
        coarseClock = CoarseClock.system();
        oursCoarse = InMemoryRateLimiter.builder("bench-coarse", RateLimitPolicy.of(
                Limit.tokenBucket("bucket", CAPACITY, 1_000_000, Duration.ofSeconds(1)))).clock(coarseClock).build();
        oursCoarse.tryAcquirePermission(KEY);
        TimeMeter coarseMeter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return coarseClock.nanoTime();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        bucket4jCoarseByKey = new ConcurrentHashMap<>();
        bucket4jCoarseByKey.put(KEY, bucketBuilder().withCustomTimePrecision(coarseMeter).build());
        resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.of("bench", RateLimiterConfig.custom()
                .limitForPeriod(Integer.MAX_VALUE).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
        resilience4jRegistry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(Integer.MAX_VALUE).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
        resilience4jRegistry.rateLimiter(KEY);
    }

    @TearDown
    public void tearDown() {
        coarseClock.close();
    }

    private static Bucket newBucket() {
        return bucketBuilder().build();
    }

    private static LocalBucketBuilder bucketBuilder() {
        return Bucket.builder().addLimit(limit -> limit.capacity(CAPACITY).refillGreedy(1_000_000, Duration.ofSeconds(1)));
    }

    @Benchmark
    public boolean oursPermission() {
        return ours.tryAcquirePermission(KEY);
    }

    @Benchmark
    public Decision oursDecision() {
        return ours.tryAcquire(KEY);
    }

    @Benchmark
    public boolean bucket4jLocal() {
        return bucket4j.tryConsume(1);
    }

    @Benchmark
    public boolean bucket4jLocalByKey() {
        return bucket4jByKey.computeIfAbsent(KEY, key -> newBucket()).tryConsume(1);
    }

    @Benchmark
    public boolean bucket4jLocalSynchronizedByKey() {
        return bucket4jSynchronizedByKey.computeIfAbsent(KEY, key -> newBucket()).tryConsume(1);
    }

    @Benchmark
    public boolean oursPermissionCoarseClock() {
        return oursCoarse.tryAcquirePermission(KEY);
    }

    @Benchmark
    public boolean bucket4jLocalByKeyCoarseClock() {
        return bucket4jCoarseByKey.computeIfAbsent(KEY, key -> newBucket()).tryConsume(1);
    }

    @Benchmark
    public boolean resilience4j() {
        return resilience4j.acquirePermission();
    }

    /** Resilience4j keyed the way its users key it: a registry lookup by key, then the limiter. */
    @Benchmark
    public boolean resilience4jByKey() {
        return resilience4jRegistry.rateLimiter(KEY).acquirePermission();
    }
}
