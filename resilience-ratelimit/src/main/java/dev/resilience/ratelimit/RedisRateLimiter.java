package dev.resilience.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.resilience.core.CallNotPermittedException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerEvent;
import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.internal.Arguments;
import dev.resilience.ratelimit.internal.IntegersReply;
import dev.resilience.ratelimit.internal.Keys;
import dev.resilience.ratelimit.internal.RedisScript;
import dev.resilience.ratelimit.internal.ScriptArguments;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import dev.resilience.redis.RedisConnection;
import dev.resilience.redis.RedisOutageLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RateLimiter} whose counts live in Redis, so every instance of a service shares them.
 *
 * <p><b>One round trip per decision:</b> all limits of a key are checked and consumed atomically by
 * one Lua script ({@code EVALSHA}; reloaded transparently after {@code NOSCRIPT}). Time comes from
 * the Redis server ({@code TIME}) so instance clocks do not matter; {@link Builder#clientTime(boolean)}
 * passes this process' time instead, for managed Redis that forbids {@code TIME} in scripts (building a
 * server-time limiter on such a Redis fails saying so); an instance whose clock lags then counts into
 * the newer window another instance already wrote, never resetting it. Redis and the in-memory limiter
 * compute in integer microseconds and reach identical decisions. A data error from Redis
 * ({@code WRONGTYPE}, a script error) is logged at ERROR as the bug it is and does not count as an
 * outage. Every key
 * is written with a TTL (the time its state still matters), under {@link Builder#keyPrefix(String) a
 * prefix}, as {@code prefix{key}:limiter:limit:algorithm}: the hash tag keeps a key's limits in one
 * Cluster slot. A key rejected by Redis is remembered locally until its retry time, at most
 * {@link Builder#rememberRejections(Duration) 1 s}, so a flood from one client costs at most one round
 * trip a second, and a {@link #reset(String)} on another instance reaches this one within that second.
 *
 * <p><b>Fallback:</b> when Redis fails or answers slower than the backend's command timeout, the
 * decision is made by the {@link FallbackMode} (default {@link FallbackMode#LOCAL_FALLBACK}: an
 * in-memory limiter holding {@link Builder#fallbackShare(double) a share} of each limit, for example
 * 1 / number of instances). Callers never see an exception from Redis. Redis calls go through a core
 * {@link CircuitBreaker} ({@link Builder#circuitBreaker(CircuitBreaker) yours}, or by default one that
 * opens when half of the last 20 calls, at least 5, failed or timed out, and probes Redis with one call
 * after 1 s, then after 2, 4, up to 10 s while it stays down). While the breaker is not closed the
 * fallback decides; the first successful probe returns the limiter to Redis. Entering and leaving the
 * fallback are logged once each (this class' logger: WARN, then INFO) and reported to the listener;
 * {@link #asHealthCheck()} is DEGRADED meanwhile. The breaker, core's, also logs each of its own state
 * changes under {@code dev.resilience.core.CircuitBreaker}, probe cycles included (see the README).
 *
 * <p>Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final long MIN_RETRY_NANOS = 1_000_000_000L;
    private static final String[] ALGORITHM_TAGS = {"", "tb", "sw", "fw"};
    private static final long DATA_ERROR_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final String name;
    private final RateLimitPolicy policy;
    private final RedisBackend backend;
    private final boolean ownsBackend;
    private final String keyPrefix;
    private final String[] keySuffixes;
    /** The constant parts of the script's arguments, encoded once: see {@link #arguments(String, long)}. */
    private final byte[] keyHead;
    private final byte[][] keyTails;
    private final byte[] limitArguments;
    private final int argumentsSize;
    private final boolean clientTime;
    private final Clock clock;
    private final RateLimitListener listener;
    private final FallbackMode fallbackMode;
    private final InMemoryRateLimiter fallback;
    private final CircuitBreaker breaker;
    private final Cache<String, Blocked> overLimit;
    private final long maxPermits;
    private volatile long fallbackSince;
    private final RedisOutageLog outageLog;
    private final AtomicLong dataErrors = new AtomicLong();
    private final AtomicLong nextDataErrorLog;

    /** What {@link #config()} reports. */
    private final Config config;

    private RedisRateLimiter(Builder builder, RedisBackend backend, boolean ownsBackend) {
        this.name = builder.name;
        this.policy = builder.policy;
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        this.keyPrefix = builder.keyPrefix;
        this.clientTime = builder.clientTime;
        this.clock = builder.clock;
        this.listener = builder.listener;
        this.fallbackMode = builder.fallbackMode;
        this.maxPermits = policy.maxPermits();
        List<Limit> limits = policy.limits();
        this.keySuffixes = new String[limits.size()];
        this.keyHead = (keyPrefix + "{").getBytes(StandardCharsets.UTF_8);
        this.keyTails = new byte[limits.size()][];
        ByteArrayOutputStream encodedLimits = new ByteArrayOutputStream();
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i);
            int algorithm = limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET ? 1
                    : limit.algorithm() == Limit.Algorithm.SLIDING_WINDOW ? 2 : 3;
            // limiter and algorithm in the key: two limiters never share a count, and an algorithm never
            // meets another's state (a string where a hash is expected would be WRONGTYPE)
            keySuffixes[i] = "}:" + name + ":" + limit.name() + ":" + ALGORITHM_TAGS[algorithm];
            keyTails[i] = keySuffixes[i].getBytes(StandardCharsets.UTF_8);
            encodedLimits.writeBytes(ScriptArguments.bulk(Integer.toString(algorithm)));
            encodedLimits.writeBytes(ScriptArguments.bulk(Long.toString(limit.permits())));
            encodedLimits.writeBytes(ScriptArguments.bulk(Long.toString(limit.window().toNanos() / 1_000)));
            encodedLimits.writeBytes(ScriptArguments.bulk(Long.toString(limit.capacity())));
        }
        this.limitArguments = encodedLimits.toByteArray();
        // numkeys, the keys' heads and tails, two arguments of up to 20 digits, the limits' arguments
        int size = 8 + limitArguments.length + 2 * 28;
        for (byte[] tail : keyTails) {
            size += keyHead.length + tail.length;
        }
        this.argumentsSize = size;
        this.fallback = InMemoryRateLimiter.builder(name + "-fallback", policy.withShare(builder.fallbackShare))
                .maximumKeys(builder.maximumLocalKeys).clock(clock).build();
        this.breaker = builder.circuitBreaker != null ? builder.circuitBreaker : CircuitBreaker.builder(name + ".redis")
                .countBasedWindow(20).minimumNumberOfCalls(5).failureRateThreshold(50)
                .openDuration(Duration.ofSeconds(1)).openDurationMultiplier(2).maxOpenDuration(Duration.ofSeconds(10))
                .permittedCallsInHalfOpen(1).clock(clock).build();
        this.outageLog = new RedisOutageLog(log, "Rate limiter " + name, backend.description(), "deciding with " + fallbackMode, clock);
        breaker.addListener(this::onBreakerEvent);
        this.nextDataErrorLog = new AtomicLong(clock.nanoTime());
        this.overLimit = Caffeine.newBuilder()
                .maximumSize(builder.maximumLocalKeys)
                .expireAfterWrite(builder.rememberRejections)
                .ticker(clock::nanoTime)
                .build();
        this.config = new Config(name, policy, keyPrefix, clientTime, fallbackMode, builder.fallbackShare,
                builder.maximumLocalKeys, builder.rememberRejections, breaker.name(), ownsBackend, backend.config());
    }

    /**
     * {@return a builder for a limiter named {@code name} applying {@code policy}}
     *
     * @param name the limiter's name: part of every Redis key, and of log lines and metric tags
     * @param policy the limits applied to every key
     * @throws IllegalArgumentException when the name is blank
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

    /**
     * Blocks at most the backend's command timeout; see {@link #tryAcquireAsync(String, int)}. The
     * calling thread waits for Lettuce's reply itself and decides from it (no future stage in between).
     */
    @Override
    public Decision tryAcquire(String key, int permits) {
        checked(key, permits);
        String bounded = Keys.bounded(key);
        Decision early = decideBeforeRedis(key, bounded, permits);
        if (early != null) {
            return early;
        }
        long start = clock.nanoTime();
        long[] reply = null;
        Throwable failure = null;
        try {
            reply = RedisScript.RATE_LIMIT.call(backend.scriptCommands(), arguments(bounded, permits), this::newReply);
        } catch (RuntimeException e) {
            failure = e;
        }
        return decideFromRedis(key, bounded, permits, start, reply, failure);
    }

    @Override
    public CompletionStage<Decision> tryAcquireAsync(String key, int permits) {
        try {
            checked(key, permits);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        String bounded = Keys.bounded(key);
        Decision early = decideBeforeRedis(key, bounded, permits);
        if (early != null) {
            return CompletableFuture.completedFuture(early);
        }
        long start = clock.nanoTime();
        CompletableFuture<long[]> call;
        try {
            call = RedisScript.RATE_LIMIT.run(backend.scriptCommands(), arguments(bounded, permits), this::newReply);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((reply, failure) -> decideFromRedis(key, bounded, permits, start, reply, failure));
    }

    /**
     * The decision made without asking Redis (a rejection this instance remembers, or the breaker refusing
     * the call), or null when Redis is to be asked (the breaker then counts a call in progress).
     */
    private @Nullable Decision decideBeforeRedis(String key, String bounded, int permits) {
        Decision known = knownOverLimit(bounded, permits);
        if (known != null) {
            listener.onDecision(name, false);
            return known;
        }
        if (fallbackMode == FallbackMode.FAIL_CLOSED) {
            try {
                breaker.acquirePermission(); // the rejection tells how long the breaker stays open
            } catch (CallNotPermittedException notPermitted) {
                return rejectWithoutRedis(notPermitted.remainingOpen().toNanos());
            }
        } else if (!breaker.tryAcquirePermission()) {
            return decideWithoutRedis(key, permits, false);
        }
        return null;
    }

    /** The decision from Redis' reply, or by the fallback mode when the call failed. */
    private Decision decideFromRedis(String key, String bounded, int permits, long start, long @Nullable [] reply,
            @Nullable Throwable failure) {
        long took = clock.nanoTime() - start;
        if (failure != null) {
            Throwable error = RedisScript.unwrap(failure);
            listener.onRedisCall(name, took, false);
            if (RedisScript.isDataError(error)) {
                return afterDataError(key, permits, took, error);
            }
            breaker.onError(took, error);
            log.debug("Rate limiter {}: Redis call failed, deciding without it", name, error);
            return decideWithoutRedis(key, permits, RedisScript.mayHaveRun(error));
        }
        Decision decision;
        try {
            decision = toDecision(Objects.requireNonNull(reply, "Redis' reply"));
        } catch (RuntimeException e) {
            listener.onRedisCall(name, took, false);
            return afterDataError(key, permits, took, e); // an unexpected reply (another script under our SHA?)
        }
        listener.onRedisCall(name, took, true);
        breaker.onSuccess(took);
        if (!decision.allowed() && permits > 0) {
            long now = clock.nanoTime();
            overLimit.put(bounded, new Blocked(decision, permits, now + decision.retryAfterNanos(), now + decision.resetAfterNanos()));
        } else if (decision.allowed() && permits > 0) {
            overLimit.invalidate(bounded); // a remembered rejection of a larger request would now wait too little
        }
        listener.onDecision(name, decision.allowed());
        return decision;
    }

    /** Redis is up and answered, wrongly: a bug to report, not an outage. */
    private Decision afterDataError(String key, int permits, long took, Throwable error) {
        breaker.onSuccess(took);
        reportDataError(error);
        return decideWithoutRedis(key, permits, false);
    }

    private IntegersReply newReply() {
        return new IntegersReply(5);
    }

    /**
     * Takes {@code permits} from every limit of the key in Redis (and in this instance's fallback while
     * it decides), whether or not they fit: a penalty (a token bucket is at most emptied; window counts
     * may exceed the quota). One round trip; a Redis failure is logged at DEBUG.
     *
     * @throws IllegalArgumentException when the key is null or empty or permits are negative
     */
    @Override
    public void penalize(String key, int permits) {
        adjust(key, Arguments.atLeast("permits", permits, 0));
    }

    /**
     * Gives back {@code permits} taken earlier, in Redis (and in this instance's fallback while it
     * decides): counts never fall below zero, a bucket never fills beyond its capacity. One round trip.
     *
     * @throws IllegalArgumentException when the key is null or empty or permits are negative
     */
    @Override
    public void refund(String key, int permits) {
        adjust(key, -Arguments.atLeast("permits", permits, 0));
    }

    private void adjust(String key, int delta) {
        Arguments.notEmpty("key", key);
        String bounded = Keys.bounded(key);
        overLimit.invalidate(bounded); // what this instance remembers of the key is out of date
        if (fallbackActive()) {
            fallback.adjust(key, delta);
        }
        try {
            RedisScript.ADJUST.run(backend.scriptCommands(), arguments(bounded, delta), () -> new IntegerOutput<>(StringCodec.UTF8)).exceptionally(error -> {
                log.debug("Rate limiter {}: could not adjust a key in Redis", name, error);
                return null;
            }).join();
        } catch (RuntimeException e) {
            log.debug("Rate limiter {}: could not adjust a key in Redis", name, e);
        }
    }

    /**
     * Deletes the key's counts in Redis (and in this instance's fallback). Other instances that
     * remember a rejection of the key ask Redis again within {@link Builder#rememberRejections(Duration)}
     * (default 1 s).
     */
    @Override
    public void reset(String key) {
        Arguments.notEmpty("key", key);
        String bounded = Keys.bounded(key);
        overLimit.invalidate(bounded);
        fallback.reset(key);
        try {
            backend.delete(keys(bounded)).exceptionally(error -> {
                log.debug("Rate limiter {}: could not reset a key in Redis", name, error);
                return 0L;
            }).join();
        } catch (RuntimeException e) {
            log.debug("Rate limiter {}: could not reset a key in Redis", name, e);
        }
    }

    /** {@return true while decisions are made without Redis (by the {@link FallbackMode})} */
    public boolean fallbackActive() {
        return isFallback(breaker.state());
    }

    /** {@return the in-memory limiter used while Redis is unavailable (holding the fallback share of each limit)} */
    public InMemoryRateLimiter fallbackLimiter() {
        return fallback;
    }

    /**
     * UP while Redis decides and answers the backend's background probe; DEGRADED (with the mode and
     * since when) while the fallback decides, and DEGRADED from start-up while the probe finds Redis
     * unreachable, even before a call has failed.
     */
    @Override
    public HealthCheck asHealthCheck() {
        return () -> {
            if (!fallbackActive() && !backend.isReachable()) {
                return HealthCheckResult.degraded("Redis unreachable: requests are decided with " + fallbackMode
                        + " once their Redis calls fail").withDetail("redis", backend.description());
            }
            if (!fallbackActive()) {
                HealthCheckResult up = HealthCheckResult.up().withDetail("redis", backend.description());
                long errors = dataErrors.get();
                return errors == 0 ? up : up.withDetail("redisDataErrors", errors);
            }
            return HealthCheckResult.degraded("Redis unavailable: deciding with " + fallbackMode)
                    .withDetail("redis", backend.description())
                    .withDetail("fallbackForMillis", Duration.ofNanos(clock.nanoTime() - fallbackSince).toMillis());
        };
    }

    @Override
    public void close() {
        fallback.close();
        if (ownsBackend) {
            backend.close();
        }
    }

    /**
     * Logs a data error at ERROR (the first at once, then at most one a minute with the count), so a
     * misconfiguration is loud without a line per request. Such a request is decided by the fallback
     * mode, but the breaker counts the call as answered: the limiter stays on Redis for other keys.
     */
    private void reportDataError(Throwable error) {
        long count = dataErrors.incrementAndGet();
        long now = clock.nanoTime();
        long next = nextDataErrorLog.get();
        if (now - next >= 0 && nextDataErrorLog.compareAndSet(next, now + DATA_ERROR_LOG_INTERVAL_NANOS)) {
            log.error("Rate limiter {}: Redis at {} answered with a data error, a bug and not an outage ({} so far): {}. "
                    + "Another writer is likely using keys under prefix '{}' (give each service its own keyPrefix). "
                    + "Deciding such requests with {} meanwhile", name, backend.description(), count,
                    RedisScript.describeError(error), keyPrefix, fallbackMode);
            if (!clientTime && backend.timeRefusedInScripts() != null) {
                log.error("Rate limiter {}: Redis at {} refuses TIME in scripts: build it with clientTime(true)", name, backend.description());
            }
        }
    }

    /**
     * Decides a request Redis could not (the breaker refused it, or the call failed) by the fallback
     * mode. When the call may still have run in Redis (it timed out in the client), the local fallback
     * only checks the request against its counts and does not add it: it is counted once, in Redis, or
     * (if it never ran) not at all.
     */
    private Decision decideWithoutRedis(String key, int permits, boolean mayHaveRunInRedis) {
        if (fallbackMode == FallbackMode.FAIL_CLOSED) {
            return rejectWithoutRedis(remainingOpenNanos());
        }
        Limit first = policy.limits().get(0);
        Decision decision = fallbackMode == FallbackMode.FAIL_OPEN
                ? Decision.allowed(policy, first.name(), first.permits(), first.permits(), 0)
                : mayHaveRunInRedis ? fallback.peek(key, permits) : fallback.tryAcquire(key, permits);
        listener.onDecision(name, decision.allowed());
        return decision;
    }

    /**
     * A FAIL_CLOSED rejection. Retry after the breaker's remaining open time: until then no request can
     * reach Redis. At least a second (the unit of {@code Retry-After}): when the breaker is still closed,
     * half-open (probes in flight) or forced open, no better time is known.
     */
    private Decision rejectWithoutRedis(long remainingOpenNanos) {
        Limit first = policy.limits().get(0);
        listener.onDecision(name, false);
        return Decision.rejected(policy, first.name(), first.permits(), 0, Math.max(MIN_RETRY_NANOS, remainingOpenNanos));
    }

    /** How long the breaker stays open, after a failed call: 0 unless that call opened it. */
    private long remainingOpenNanos() {
        if (breaker.state() != CircuitBreaker.State.OPEN) {
            return 0;
        }
        try {
            breaker.acquirePermission();
            breaker.releasePermission(); // its open time was already over: Redis may be probed at once
            return 0;
        } catch (CallNotPermittedException notPermitted) {
            return notPermitted.remainingOpen().toNanos();
        }
    }

    private static boolean isFallback(CircuitBreaker.State state) {
        return RedisOutageLog.isOutage(state);
    }

    /** Only entering and leaving the fallback matter here (one log line each): not the breaker's probing cycles in between. */
    private void onBreakerEvent(CircuitBreakerEvent event) {
        RedisOutageLog.Transition transition = outageLog.onEvent(event);
        if (transition == RedisOutageLog.Transition.NONE) {
            return;
        }
        boolean open = transition == RedisOutageLog.Transition.OUTAGE_STARTED;
        if (open) {
            fallbackSince = outageLog.outageStartNanos();
        }
        listener.onFallback(name, open, fallbackMode);
    }

    private @Nullable Decision knownOverLimit(String key, int permits) {
        Blocked blocked = overLimit.getIfPresent(key);
        if (blocked == null) {
            return null;
        }
        long now = clock.nanoTime();
        if (now - blocked.retryAtNanos >= 0 || permits != blocked.permits) {
            return null;
        }
        return Decision.rejected(policy, blocked.decision.limitName(), blocked.decision.limit(),
                blocked.resetAtNanos - now, blocked.retryAtNanos - now);
    }

    private String[] keys(String boundedKey) {
        String[] keys = new String[keySuffixes.length];
        String head = keyPrefix + "{" + boundedKey;
        for (int i = 0; i < keys.length; i++) {
            keys[i] = head + keySuffixes[i];
        }
        return keys;
    }

    /**
     * The script's keys and arguments, encoded here in the Redis protocol: KEYS are
     * {@code prefix{key}:limiter:limit:algorithm}; ARGV[1] the client's time in microseconds, or empty
     * for the server's; ARGV[2] the permits (or, for {@link RedisScript#ADJUST}, the delta); then each
     * limit's algorithm, quota, window (us) and capacity, encoded once at construction.
     */
    private ScriptArguments arguments(String boundedKey, long permits) {
        byte[] key = boundedKey.getBytes(StandardCharsets.UTF_8);
        ScriptArguments.Writer writer = new ScriptArguments.Writer(argumentsSize + keyTails.length * (key.length + 8));
        writer.numberOfKeys(keyTails.length);
        for (byte[] tail : keyTails) {
            writer.key(keyHead, key, tail);
        }
        if (clientTime) {
            writer.integer(epochMicros());
        } else {
            writer.empty();
        }
        return writer.integer(permits).encoded(limitArguments, 4 * keyTails.length).build();
    }

    /** This process' wall-clock time in microseconds (the script's unit), for {@link Builder#clientTime(boolean)}. */
    private long epochMicros() {
        Instant now = clock.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private Decision toDecision(long[] reply) {
        if (reply == null) {
            throw new IllegalStateException("unexpected reply from the rate-limit script");
        }
        boolean allowed = reply[0] == 1L;
        Limit limit = policy.limits().get((int) reply[1] - 1);
        long remaining = reply[2];
        long resetNanos = reply[3] * 1_000;
        long retryNanos = reply[4] * 1_000;
        return allowed
                ? Decision.allowed(policy, limit.name(), limit.permits(), remaining, resetNanos)
                : Decision.rejected(policy, limit.name(), limit.permits(), resetNanos, retryNanos);
    }

    private String checked(String key, int permits) {
        Arguments.notEmpty("key", key);
        if (permits < 0 || permits > maxPermits) {
            throw Arguments.invalid("permits", "be between 0 and " + maxPermits
                    + " (the smallest capacity of " + name + "'s policy)", permits);
        }
        return key;
    }

    @Override
    public String toString() {
        return "RedisRateLimiter{" + name + ", " + policy + ", " + backend.description() + "}";
    }

    /** What Redis said about a key that is over its limit, kept until the retry time. */
    private static final class Blocked {
        final Decision decision;
        final int permits;
        final long retryAtNanos;
        final long resetAtNanos;

        Blocked(Decision decision, int permits, long retryAtNanos, long resetAtNanos) {
            this.decision = decision;
            this.permits = permits;
            this.retryAtNanos = retryAtNanos;
            this.resetAtNanos = resetAtNanos;
        }
    }

    /** {@return the effective settings, defaults included; the Redis part holds no credentials} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link RedisRateLimiter}.
     *
     * @param name the limiter's name, part of every Redis key
     * @param policy the limits it applies
     * @param keyPrefix the prefix of every Redis key (default {@code rl:})
     * @param clientTime whether the instances' clocks are used instead of Redis' {@code TIME} (default false)
     * @param fallbackMode how it decides while Redis is unreachable (default {@link FallbackMode#LOCAL_FALLBACK})
     * @param fallbackShare the share of each quota one instance allows during an outage (default 1.0)
     * @param maximumLocalKeys the most keys the in-memory fallback holds (default 100 000)
     * @param rememberRejections how long a rejection is answered without asking Redis (default 1 s)
     * @param circuitBreaker the name of the breaker around Redis (default {@code <name>.redis})
     * @param ownsBackend whether the limiter opened (and closes) its Redis connection
     * @param redis the Redis connection's settings
     */
    public record Config(String name, RateLimitPolicy policy, String keyPrefix, boolean clientTime, FallbackMode fallbackMode,
                         double fallbackShare, long maximumLocalKeys, Duration rememberRejections, String circuitBreaker,
                         boolean ownsBackend, RedisConnection.Config redis) {
    }

    /** Builds a {@link RedisRateLimiter}. Not thread-safe; the built limiter is. */
    public static final class Builder {
        private final String name;
        private final RateLimitPolicy policy;
        private @Nullable RedisBackend backend;
        private RedisBackend.@Nullable Builder ownBackend;
        private String keyPrefix = "rl:";
        private boolean clientTime;
        private Clock clock = Clock.system();
        private RateLimitListener listener = RateLimitListener.none();
        private FallbackMode fallbackMode = FallbackMode.LOCAL_FALLBACK;
        private double fallbackShare = 1.0;
        private @Nullable CircuitBreaker circuitBreaker;
        private long maximumLocalKeys = 100_000;
        private Duration rememberRejections = Duration.ofSeconds(1);

        private Builder(String name, RateLimitPolicy policy) {
            this.name = Arguments.name(name);
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /**
         * The Redis connection, shared with other limiters; the caller closes it.
         *
         * @param backend the shared connection
         * @return this builder
         */
        public Builder backend(RedisBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.ownBackend = null;
            return this;
        }

        /**
         * Connects to this standalone or Sentinel URI with the default backend settings; the limiter
         * owns (and closes) the connection.
         *
         * @param uri a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URI; its password is never logged
         * @return this builder
         * @throws IllegalArgumentException when the URI is malformed
         */
        public Builder redisUri(String uri) {
            this.ownBackend = RedisBackend.builder().uri(uri); // validated now, connected at build()
            this.backend = null;
            return this;
        }

        /**
         * Prefix of every Redis key (default {@code "rl:"}); give each service its own.
         *
         * @param keyPrefix at most 64 characters, no braces
         * @return this builder
         * @throws IllegalArgumentException when longer than 64 characters or containing a brace
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.length() > 64 || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
                throw new IllegalArgumentException("keyPrefix must be at most 64 characters without braces: " + keyPrefix);
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Pass this process' clock to the script instead of reading Redis' {@code TIME} (default false).
         * Needed on managed Redis that forbids {@code TIME} in scripts; instance clocks must then agree.
         *
         * @param clientTime true to send this instance's time with each call
         * @return this builder
         */
        public Builder clientTime(boolean clientTime) {
            this.clientTime = clientTime;
            return this;
        }

        /**
         * What to do while Redis is unavailable (default {@link FallbackMode#LOCAL_FALLBACK}).
         *
         * @param mode how to decide while Redis is unreachable
         * @return this builder
         */
        public Builder fallbackMode(FallbackMode mode) {
            this.fallbackMode = Objects.requireNonNull(mode, "fallbackMode");
            return this;
        }

        /**
         * The share of each limit this instance admits on its own while Redis is unavailable
         * (default 1.0: each instance admits the whole limit; use 1 / instances to hold the total).
         *
         * @param share greater than 0 and at most 1
         * @return this builder
         * @throws IllegalArgumentException unless {@code 0 < share <= 1}
         */
        public Builder fallbackShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("fallbackShare must be > 0 and <= 1: " + share);
            }
            this.fallbackShare = share;
            return this;
        }

        /**
         * Sets the fallback share to {@code 1 / instances}.
         *
         * @param instances how many instances share the limits, at least 1
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder instances(int instances) {
            return fallbackShare(1.0 / Arguments.atLeast("instances", instances, 1));
        }

        /**
         * The breaker Redis calls go through (default: see the class documentation). Its open and
         * half-open states are the fallback; give it a short open duration so the limiter returns to
         * Redis soon after it recovers.
         *
         * @param breaker the breaker to use instead of the default one
         * @return this builder
         */
        public Builder circuitBreaker(CircuitBreaker breaker) {
            this.circuitBreaker = Objects.requireNonNull(breaker, "circuitBreaker");
            return this;
        }

        /**
         * Keys held in memory by the fallback and by the over-limit cache, each (default 100 000).
         *
         * @param keys at least 1
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maximumLocalKeys(long keys) {
            this.maximumLocalKeys = Arguments.atLeast("maximumLocalKeys", keys, 1);
            return this;
        }

        /**
         * How long a key Redis rejected is rejected locally, without a round trip (default 1 s; never
         * beyond the retry time Redis gave). It bounds how long another instance's {@link #reset(String)}
         * or a larger quota takes to reach this one; {@link Duration#ZERO} asks Redis every time.
         *
         * @param duration from 0 to 1 minute
         * @return this builder
         * @throws IllegalArgumentException unless between 0 and 1 minute
         */
        public Builder rememberRejections(Duration duration) {
            this.rememberRejections = Arguments.between("rememberRejections", duration, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /**
         * The clock (default {@link Clock#system()}).
         *
         * @param clock the time source; tests pass a {@code ManualClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Receives decisions, Redis latencies and fallback transitions (default none).
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
         * @throws IllegalStateException when neither {@link #backend} nor {@link #redisUri} was given, or
         *     when Redis refuses {@code TIME} in scripts and {@link #clientTime(boolean)} is not set
         */
        public RedisRateLimiter build() {
            RedisBackend given = backend;
            RedisBackend.Builder toOpen = ownBackend;
            if (given == null && toOpen == null) {
                throw new IllegalStateException("set backend(...) or redisUri(...) before build()");
            }
            boolean owns = given == null;
            RedisBackend target = given != null ? given : Objects.requireNonNull(toOpen).build();
            String refused = clientTime ? null : target.timeRefusedInScripts();
            if (refused != null) {
                if (owns) {
                    target.close();
                }
                throw new IllegalStateException("Redis at " + target.description() + " refuses TIME in scripts (" + refused
                        + "): build rate limiter " + name + " with clientTime(true), and keep the instances' clocks in sync");
            }
            RedisRateLimiter limiter = new RedisRateLimiter(this, target, owns);
            listener.onCreated(limiter);
            return limiter;
        }
    }
}
