package dev.resilience.ratelimit.micrometer;

import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.RateLimitListener;
import dev.resilience.ratelimit.RateLimiter;
import dev.resilience.ratelimit.RedisRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes what rate limiters do to a Micrometer registry. Pass it as the limiters'
 * {@code listener(...)}; each limiter registers its meters when built:
 *
 * <ul>
 *   <li>{@code resilience.ratelimit.decisions} (counter; tags {@code limiter}, {@code result} =
 *       {@code allowed}/{@code rejected})</li>
 *   <li>{@code resilience.ratelimit.redis.latency} (timer; tags {@code limiter}, {@code outcome} =
 *       {@code success}/{@code failure}): every Redis round trip</li>
 *   <li>{@code resilience.ratelimit.fallback.active} (gauge, 1 while a Redis limiter decides without
 *       Redis; tag {@code limiter})</li>
 *   <li>{@code resilience.ratelimit.keys} (gauge: keys held in memory, by the limiter or by a Redis
 *       limiter's fallback; tag {@code limiter})</li>
 * </ul>
 *
 * <pre>{@code
 * RateLimitMetrics metrics = new RateLimitMetrics(registry);
 * RateLimiter limiter = RedisRateLimiter.builder("api", policy).backend(redis).listener(metrics).build();
 * }</pre>
 *
 * <p>Tags are the limiter names only (never keys), so cardinality stays bounded. Thread-safe; the
 * per-decision path only looks up and increments a counter.
 */
public final class RateLimitMetrics implements RateLimitListener {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Meters> meters = new ConcurrentHashMap<>();

    /**
     * A listener publishing to {@code registry}; pass it to each limiter's builder.
     *
     * @param registry where the meters go
     */
    public RateLimitMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onCreated(RateLimiter limiter) {
        meters(limiter.name());
        if (limiter instanceof RedisRateLimiter redis) {
            Gauge.builder("resilience.ratelimit.fallback.active", redis, r -> r.fallbackActive() ? 1 : 0)
                    .description("1 while the limiter decides without Redis").tag("limiter", limiter.name()).register(registry);
            keysGauge(limiter.name(), redis.fallbackLimiter());
        } else if (limiter instanceof InMemoryRateLimiter inMemory) {
            keysGauge(limiter.name(), inMemory);
        }
    }

    @Override
    public void onDecision(String limiter, boolean allowed) {
        Meters m = meters(limiter);
        (allowed ? m.allowed : m.rejected).increment();
    }

    @Override
    public void onRedisCall(String limiter, long nanos, boolean success) {
        Meters m = meters(limiter);
        (success ? m.redisSuccess : m.redisFailure).record(nanos, TimeUnit.NANOSECONDS);
    }

    private void keysGauge(String limiter, InMemoryRateLimiter memory) {
        Gauge.builder("resilience.ratelimit.keys", memory, InMemoryRateLimiter::keysInMemory)
                .description("Keys held in memory").tag("limiter", limiter).register(registry);
    }

    private Meters meters(String limiter) {
        Meters existing = meters.get(limiter);
        return existing != null ? existing : meters.computeIfAbsent(limiter, name -> new Meters(registry, name));
    }

    private static final class Meters {
        final Counter allowed;
        final Counter rejected;
        final Timer redisSuccess;
        final Timer redisFailure;

        Meters(MeterRegistry registry, String limiter) {
            allowed = decisions(registry, limiter, "allowed");
            rejected = decisions(registry, limiter, "rejected");
            redisSuccess = latency(registry, limiter, "success");
            redisFailure = latency(registry, limiter, "failure");
        }

        private static Counter decisions(MeterRegistry registry, String limiter, String result) {
            return Counter.builder("resilience.ratelimit.decisions").description("Rate-limit decisions")
                    .tag("limiter", limiter).tag("result", result).register(registry);
        }

        private static Timer latency(MeterRegistry registry, String limiter, String outcome) {
            return Timer.builder("resilience.ratelimit.redis.latency").description("Redis round trips of rate-limit decisions")
                    .tag("limiter", limiter).tag("outcome", outcome).register(registry);
        }
    }
}
