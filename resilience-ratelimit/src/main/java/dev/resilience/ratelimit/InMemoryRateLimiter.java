package dev.resilience.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.internal.Arguments;
import dev.resilience.ratelimit.internal.LimitCounter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

/**
 * A {@link RateLimiter} whose state lives in this process: right for a single instance, and the
 * fallback of {@link RedisRateLimiter}.
 *
 * <p>Each key holds one {@code long} per limit, updated by compare-and-set: deciding is lock-free and
 * {@link #tryAcquirePermission(String)} allocates nothing for a key already known. Keys live in a
 * bounded Caffeine cache ({@link Builder#maximumKeys(long) maximumKeys}, default 100 000) and expire
 * once idle for longer than the policy's longest window, when their state no longer matters; a flood
 * of distinct keys therefore keeps memory bounded (keys in use are kept preferentially, but an evicted
 * key starts afresh). To keep the hot path short, a known key is read without Caffeine's per-read
 * bookkeeping, its use is reported to the cache once per sixteenth of the window, and the cache's
 * clock is the time of the latest decision (to the millisecond) rather than a second clock read.
 *
 * <p>Several limits are applied all-or-nothing: permits are taken from each limit in turn and given
 * back if a later limit rejects. The final state is exact; while a request is being refunded, a
 * concurrent request on the same key may see the reservation and be rejected (it is never admitted
 * over the limit).
 *
 * <p>Thread-safe.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    /** The cache's clock moves in steps of at most this (1 ms), to spare a volatile write per decision. */
    private static final long CACHE_CLOCK_STEP = 1_000_000;

    private final String name;
    private final RateLimitPolicy policy;
    private final LimitCounter[] counters;
    private final Cache<String, AtomicLongArray> keys;
    private final Policy<String, AtomicLongArray> quietly;
    private final long touchInterval;
    /** The cache's time: the clock as of the latest decision, refreshed at most once per millisecond. */
    private volatile long cacheNanos;
    private final Function<String, AtomicLongArray> newState;
    private final Clock clock;
    private final long epochOffset;
    private final long maxPermits;
    private final RateLimitListener listener;

    /** What {@link #config()} reports. */
    private final Config config;

    private InMemoryRateLimiter(Builder builder) {
        this.name = builder.name;
        this.policy = builder.policy;
        this.counters = policy.limits().stream().map(LimitCounter::of).toArray(LimitCounter[]::new);
        this.clock = builder.clock;
        this.listener = builder.listener;
        this.maxPermits = policy.maxPermits();
        // monotonic time shifted to the epoch: fixed windows line up with wall-clock (and Redis) windows
        this.epochOffset = Math.multiplyExact(clock.currentTimeMillis(), 1_000_000L) - clock.nanoTime();
        long idle = policy.longestWindow().toNanos();
        this.touchInterval = Math.max(1, idle / 16);
        // a key's recorded access lags its real use by at most touchInterval, and the cache's clock lags
        // the limiter's by at most CACHE_CLOCK_STEP: expire that much later
        this.keys = Caffeine.newBuilder()
                .maximumSize(builder.maximumKeys)
                .expireAfterAccess(Duration.ofNanos(idle + touchInterval + CACHE_CLOCK_STEP))
                .ticker(() -> cacheNanos)
                .build();
        this.cacheNanos = clock.nanoTime();
        this.quietly = keys.policy();
        int size = counters.length;
        this.newState = key -> {
            AtomicLongArray state = new AtomicLongArray(size + 1); // the last slot: when its use was last reported
            state.set(size, clock.nanoTime());
            return state;
        };
        this.config = new Config(name, policy, builder.maximumKeys);
    }

    /**
     * {@return a builder for a limiter named {@code name} applying {@code policy}}
     *
     * @param name the limiter's name, for logs and metric tags
     * @param policy the limits applied to every key
     * @throws IllegalArgumentException when the name is empty
     */
    public static Builder builder(String name, RateLimitPolicy policy) {
        return new Builder(name, policy);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RateLimitPolicy policy() {
        return policy;
    }

    @Override
    public boolean tryAcquirePermission(String key) {
        Arguments.notEmpty("key", key);
        long nanos = clock.nanoTime();
        boolean allowed = consume(state(key, nanos), micros(nanos), 1) < 0;
        listener.onDecision(name, allowed);
        return allowed;
    }

    @Override
    public Decision tryAcquire(String key, int permits) {
        Arguments.notEmpty("key", key);
        if (permits < 0 || permits > maxPermits) {
            throw Arguments.invalid("permits", "be between 0 and " + maxPermits
                    + " (the smallest capacity of " + name + "'s policy)", permits);
        }
        long nanos = clock.nanoTime();
        AtomicLongArray state = state(key, nanos);
        long now = micros(nanos);
        boolean allowed = consume(state, now, permits) < 0;
        listener.onDecision(name, allowed);
        return allowed ? allowedDecision(state, now) : rejectedDecision(state, now, permits);
    }

    /**
     * Whether {@code permits} would be admitted now, consuming nothing: for a request that Redis may
     * have counted already (its call timed out in the client), so it is not counted twice.
     */
    Decision peek(String key, int permits) {
        long nanos = clock.nanoTime();
        AtomicLongArray state = state(key, nanos);
        long now = micros(nanos);
        for (int i = 0; i < counters.length; i++) {
            if (counters[i].retryAfter(state.get(i), now, permits) > 0) {
                listener.onDecision(name, false);
                return rejectedDecision(state, now, permits);
            }
        }
        listener.onDecision(name, true);
        return allowedDecision(state, now);
    }

    @Override
    public CompletionStage<Decision> tryAcquireAsync(String key, int permits) {
        try {
            return CompletableFuture.completedFuture(tryAcquire(key, permits));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Takes {@code permits} from every limit of the key whether or not they fit: a penalty (a failed
     * login may cost 5 permits). A token bucket is at most emptied; window counts may exceed the quota.
     *
     * @throws IllegalArgumentException when the key is null or empty or permits are negative
     */
    @Override
    public void penalize(String key, int permits) {
        adjust(key, Arguments.atLeast("permits", permits, 0));
    }

    /**
     * Gives back {@code permits} taken earlier (a request that turned out not to count): counts never
     * fall below zero, a bucket never fills beyond its capacity.
     *
     * @throws IllegalArgumentException when the key is null or empty or permits are negative
     */
    @Override
    public void refund(String key, int permits) {
        adjust(key, -(long) Arguments.atLeast("permits", permits, 0));
    }

    void adjust(String key, long delta) {
        Arguments.notEmpty("key", key);
        long nanos = clock.nanoTime();
        AtomicLongArray state = state(key, nanos);
        long now = micros(nanos);
        for (int i = 0; i < counters.length; i++) {
            counters[i].adjust(state, i, now, delta);
        }
    }

    @Override
    public void reset(String key) {
        Arguments.notEmpty("key", key);
        keys.invalidate(key);
    }

    /**
     * Keys currently held (an estimate; expired keys may still be counted until cleaned up).
     *
     * @return an estimate: expired keys may still count until the cache cleans up
     */
    public long keysInMemory() {
        cacheNanos = clock.nanoTime();
        return keys.estimatedSize();
    }

    /** Runs pending cache maintenance (expiry, eviction) now; for tests and gauges. */
    public void cleanUp() {
        cacheNanos = clock.nanoTime();
        keys.cleanUp();
    }

    @Override
    public HealthCheck asHealthCheck() {
        return () -> HealthCheckResult.up().withDetail("keys", keysInMemory());
    }

    @Override
    public void close() {
        keys.invalidateAll();
    }

    private AtomicLongArray state(String key, long nanos) {
        if (nanos - cacheNanos > CACHE_CLOCK_STEP) {
            cacheNanos = nanos;
        }
        AtomicLongArray state = quietly.getIfPresentQuietly(key);
        if (state == null) {
            return keys.get(key, newState);
        }
        int touched = counters.length;
        if (nanos - state.get(touched) > touchInterval) {
            state.lazySet(touched, nanos);
            // reports the use: resets the idle time, counts towards keeping the key; the value is known already
            AtomicLongArray unused = keys.getIfPresent(key);
        }
        return state;
    }

    /** Microseconds since the epoch: the unit every counter (and the Redis script) computes in. */
    private long micros(long nanos) {
        return (nanos + epochOffset) / 1_000;
    }

    /** -1 when every limit took the permits, else the index of the first limit that rejected. */
    private int consume(AtomicLongArray state, long now, int permits) {
        for (int i = 0; i < counters.length; i++) {
            if (counters[i].tryConsume(state, i, now, permits) == LimitCounter.REJECTED) {
                if (permits > 0) {
                    for (int j = 0; j < i; j++) {
                        counters[j].refund(state, j, now, permits);
                    }
                }
                return i;
            }
        }
        return -1;
    }

    private Decision allowedDecision(AtomicLongArray state, long now) {
        int decider = 0;
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < counters.length; i++) {
            long remaining = counters[i].remaining(state.get(i), now);
            if (remaining < fewest) {
                fewest = remaining;
                decider = i;
            }
        }
        LimitCounter counter = counters[decider];
        return Decision.allowed(policy, counter.limit().name(), counter.limit().permits(), fewest,
                counter.resetAfter(state.get(decider), now) * 1_000);
    }

    private Decision rejectedDecision(AtomicLongArray state, long now, int permits) {
        int decider = 0;
        long longest = -1;
        for (int i = 0; i < counters.length; i++) {
            long wait = counters[i].retryAfter(state.get(i), now, permits);
            if (wait > longest) {
                longest = wait;
                decider = i;
            }
        }
        LimitCounter counter = counters[decider];
        return Decision.rejected(policy, counter.limit().name(), counter.limit().permits(),
                counter.resetAfter(state.get(decider), now) * 1_000, longest * 1_000);
    }

    @Override
    public String toString() {
        return "InMemoryRateLimiter{" + name + ", " + policy + "}";
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of an {@link InMemoryRateLimiter}.
     *
     * @param name the limiter's name
     * @param policy the limits it applies
     * @param maximumKeys the most keys held at once (default 100 000)
     */
    public record Config(String name, RateLimitPolicy policy, long maximumKeys) {
    }

    /** Builds an {@link InMemoryRateLimiter}. Not thread-safe; the built limiter is. */
    public static final class Builder {
        private final String name;
        private final RateLimitPolicy policy;
        private long maximumKeys = 100_000;
        private Clock clock = Clock.system();
        private RateLimitListener listener = RateLimitListener.none();

        private Builder(String name, RateLimitPolicy policy) {
            this.name = Arguments.name(name);
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /**
         * The most keys held at once (default 100 000, about 20 MB); the least valuable are evicted
         * beyond it.
         *
         * @param maximumKeys at least 1
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maximumKeys(long maximumKeys) {
            this.maximumKeys = Arguments.atLeast("maximumKeys", maximumKeys, 1);
            return this;
        }

        /**
         * The clock (default {@link Clock#system()}); tests pass a {@code ManualClock}.
         *
         * @param clock the time source
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Receives decisions, for metrics (default none).
         *
         * @param listener called on every decision, from the deciding thread; must be fast and thread-safe
         * @return this builder
         */
        public Builder listener(RateLimitListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the limiter.
         *
         * @return a thread-safe limiter
         */
        public InMemoryRateLimiter build() {
            InMemoryRateLimiter limiter = new InMemoryRateLimiter(this);
            listener.onCreated(limiter);
            return limiter;
        }
    }
}
