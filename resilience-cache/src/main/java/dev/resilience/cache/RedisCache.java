package dev.resilience.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.resilience.cache.internal.Entry;
import dev.resilience.cache.internal.LettuceStore;
import dev.resilience.cache.internal.RemoteStore;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Sleeper;
import dev.resilience.core.internal.Arguments;
import dev.resilience.core.internal.Throwables;
import dev.resilience.redis.RedisConnection;
import dev.resilience.redis.RedisOutageLog;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache-aside cache on Redis, with an optional local (Caffeine) tier in front, that survives Redis going
 * down and does not stampede the loader (the database).
 *
 * <ul>
 *   <li><b>Reads</b>: {@link #get(String, CacheLoader, String...)} answers from the local tier, else Redis,
 *       else calls the loader once per key and instance (concurrent misses wait for that call) and stores
 *       the value in both tiers. Across instances, a short Redis lease ({@code SET NX PX}, default 5 s) lets
 *       one instance load while the others wait for its value, so a hot key that expires under load reaches
 *       the loader once per lease; values are refreshed in the background before they expire, with a
 *       probability that grows near expiry (XFetch, {@link Builder#earlyRefreshBeta(double)}).</li>
 *   <li><b>Time</b>: each value lives {@link Builder#ttl(Duration) ttl} minus up to
 *       {@link Builder#ttlJitter(double) ttlJitter} of it (so keys written together do not expire together);
 *       an absent value (the loader returned null) {@link Builder#absentTtl(Duration) absentTtl}. After that
 *       a value may still be served while it is reloaded in the background
 *       ({@link Builder#staleWhileRevalidate(Duration)}) or when the loader fails
 *       ({@link Builder#staleIfError(Duration)}).</li>
 *   <li><b>Invalidation</b>: {@link #invalidate(String)}, {@link #invalidateAll(String)} for every key put
 *       with a tag (tag sets, no {@code KEYS}/{@code SCAN}), {@link #clear()} (a new key generation). The
 *       other instances drop their local copies on a Redis pub/sub message; an instance serves a value
 *       another instance invalidated for at most the local tier's TTL ({@link Builder#localTier(long, Duration)},
 *       the stated bound), in practice for the pub/sub delay (milliseconds).</li>
 *   <li><b>Redis down</b>: every Redis call goes through a {@link CircuitBreaker}; while it is open, reads go
 *       to the local tier then the loader, writes are skipped and counted ({@link CacheStats#writesSkipped()}),
 *       no caller sees a Redis exception, and the breaker's probes bring the cache back on its own. One WARN
 *       when Redis is lost, one INFO when it is back.</li>
 * </ul>
 *
 * <p>Redis keys: {@code <keyPrefix><name>:v<namespaceVersion>:g<generation>:{<key>}} (the braces are a hash
 * tag: a key and its lease share a Cluster slot), tag sets {@code <keyPrefix><name>:v<n>:tag:{<tag>}}.
 * Bump {@link Builder#namespaceVersion(int)} when the cached type changes shape.
 *
 * <p>Thread-safe. Close it to stop its background work (and its Redis connection when it made it).
 *
 * @param <V> the value type
 */
public final class RedisCache<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisCache.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final byte[] UNAVAILABLE = new byte[0];
    private static final String NO_TAGS_MEMBER = "";
    private static final Duration COHERENCE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration LEASE_POLL = Duration.ofMillis(10);
    private static final String[] NO_TAGS = new String[0];
    /** {@code -ln(r)} for any double {@code r} in (0, 1] is below this: past it, XFetch cannot fire yet. */
    private static final double MAX_XFETCH_GAP = 745;

    private final Config config;
    private final CacheCodec<V> codec;
    private final RemoteStore store;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Scheduler scheduler;
    private final Executor executor;
    private final @Nullable ExecutorService ownedExecutor;
    private final DoubleSupplier random;
    private final CircuitBreaker breaker;
    private final RedisOutageLog outageLog;
    private final @Nullable Cache<String, Local<V>> local;
    private final long localTtlNanos;
    private final ConcurrentHashMap<String, CompletableFuture<Entry<V>>> inflight = new ConcurrentHashMap<>();
    private final CacheStats stats = new CacheStats();
    private final String namespace;
    private final String channel;
    private final String instanceId = UUID.randomUUID().toString();
    private final long ttlMillis;
    private final long absentTtlMillis;
    private final long swrMillis;
    private final long sieMillis;
    private final long staleWindowMillis;
    private final long leaseMillis;
    private final double jitter;
    private final double beta;
    private volatile long generation;
    private volatile boolean subscribed;
    private final java.util.concurrent.atomic.AtomicBoolean subscribing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    private RedisCache(Builder<V> b) {
        this.codec = b.codec;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.scheduler = b.scheduler;
        this.random = b.random;
        this.store = b.store != null ? b.store : new LettuceStore(b.connection != null ? b.connection
                // Builder.build() refuses a builder with neither a connection nor its settings
                : Objects.requireNonNull(b.connectionSettings, "connectionSettings").build(CODEC), b.connection == null);
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownedExecutor = null;
        } else {
            AtomicInteger threads = new AtomicInteger();
            this.ownedExecutor = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "resilience-cache-" + b.name + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            this.executor = ownedExecutor;
        }
        this.ttlMillis = b.ttl.toMillis();
        this.absentTtlMillis = b.absentTtl.toMillis();
        this.swrMillis = b.staleWhileRevalidate.toMillis();
        this.sieMillis = b.staleIfError.toMillis();
        this.staleWindowMillis = Math.max(swrMillis, sieMillis);
        this.leaseMillis = b.lease.toMillis();
        this.jitter = b.ttlJitter;
        this.beta = b.earlyRefreshBeta;
        this.namespace = b.keyPrefix + b.name + ":v" + b.namespaceVersion;
        this.channel = namespace + ":invalidations";
        this.config = new Config(b.name, b.keyPrefix, b.namespaceVersion, b.ttl, b.ttlJitter, b.absentTtl, b.staleWhileRevalidate,
                b.staleIfError, b.earlyRefreshBeta, b.lease, b.localMaxEntries, b.localMaxEntries > 0 ? Optional.of(b.localTtl) : Optional.empty(),
                store.description());
        this.localTtlNanos = b.localTtl.toNanos();
        this.local = b.localMaxEntries > 0 ? localTier(b.localMaxEntries) : null;
        this.breaker = b.breaker != null ? b.breaker : CircuitBreaker.builder(b.name + ".redis")
                .countBasedWindow(20).minimumNumberOfCalls(5).failureRateThreshold(50)
                .openDuration(Duration.ofSeconds(1)).openDurationMultiplier(2).maxOpenDuration(Duration.ofSeconds(10))
                .permittedCallsInHalfOpen(1).clock(clock).build();
        this.outageLog = new RedisOutageLog(log, "Cache " + b.name, store.description(),
                "serving from " + (local != null ? "the local tier and " : "") + "the loader, skipping writes", clock);
        breaker.addListener(event -> {
            if (outageLog.onEvent(event) == RedisOutageLog.Transition.OUTAGE_ENDED && local != null) {
                local.invalidateAll(); // invalidations sent meanwhile were not heard
            }
        });
        coherence();
    }

    /**
     * The local tier: a size-bounded Caffeine cache and nothing more. How long a value may be served from it
     * is checked on each read against the deadlines its {@link Local} holder carries (one clock reading per
     * hit; Caffeine's own expiry would read its ticker on every read as well). Caffeine's upkeep (reordering
     * after reads, evictions) runs on the cache's executor, as Caffeine's default does on the common pool,
     * not on the reading thread.
     */
    private Cache<String, Local<V>> localTier(long maxEntries) {
        Executor upkeep = task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run(); // closed
            }
        };
        return Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .executor(upkeep)
                .removalListener((@Nullable String key, @Nullable Local<V> held, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (cause == com.github.benmanes.caffeine.cache.RemovalCause.SIZE) {
                        stats.localEvictions.increment();
                    }
                })
                .build();
    }

    /** Stores {@code entry} in the local tier for at most the local TTL, and never past its stale-until. */
    private void putLocal(String key, Entry<V> entry) {
        long nanos = clock.nanoTime();
        long millis = clock.currentTimeMillis();
        Cache<String, Local<V>> tier = local;
        if (tier == null) {
            return;
        }
        long untilStale = entry.staleUntil() - millis;
        if (untilStale <= 0) {
            tier.invalidate(key);
            return;
        }
        long localUntil = nanos + localTtlNanos;
        long expires = nanos + (entry.freshUntil() - millis) * 1_000_000L;
        long stale = nanos + untilStale * 1_000_000L;
        tier.put(key, new Local<>(entry, expires, earlier(localUntil, expires), earlier(localUntil, stale)));
    }

    /** The local tier's entry for {@code key} while reading it is a local hit (before its fresh deadline), else null. */
    private @Nullable Entry<V> localHit(String key, long nanos) {
        Local<V> held = getLocal(key, nanos);
        return held != null && nanos - held.freshNanos < 0 ? held.entry : null;
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    /** The local tier's holder of {@code key} unless past its keep deadline (then it is dropped); null otherwise. */
    private @Nullable Local<V> getLocal(String key, long nanos) {
        Cache<String, Local<V>> tier = local;
        Local<V> held = tier == null ? null : tier.getIfPresent(key);
        if (tier != null && held != null && nanos - held.keepNanos >= 0) {
            tier.asMap().remove(key, held);
            return null;
        }
        return held;
    }

    /**
     * A builder for a cache named {@code name} (in its Redis keys, metrics and logs) whose values
     * {@code codec} turns into bytes.
     *
     * @param name the cache's name
     * @param codec turns values into the bytes stored in Redis and back
     * @param <V> the value type
     * @return a builder with the defaults stated on each setter
     * @throws IllegalArgumentException when the name is blank or holds a character that would break key parsing
     */
    public static <V> Builder<V> builder(String name, CacheCodec<V> codec) {
        return new Builder<>(name, codec);
    }

    /**
     * A connection for caches to share (one per service is enough: it is multiplexed), built from the
     * given settings ({@code RedisConnection.builder().uri(...)...}). Close it after the caches.
     *
     * @param settings the connection settings; a cache connection uses byte-array values
     * @return the connection, connecting in the background; close it after the caches that use it
     */
    public static RedisConnection<String, byte[]> connect(RedisConnection.Builder settings) {
        return settings.build(CODEC);
    }

    // ---------------------------------------------------------------- reads

    /**
     * The value of {@code key}: from the local tier, else Redis, else {@code loader} (once per key and
     * instance however many callers miss together; across instances bounded by the lease). A null from the
     * loader is returned as null and remembered for {@code absentTtl}. {@code tags} label the loaded value
     * for {@link #invalidateAll(String)}.
     *
     * <p>Never throws because of Redis. What the loader throws (checked or not) reaches the caller unchanged,
     * unless a value within the {@code staleIfError} window is served instead; callers waiting for the same
     * load get the same exception.
     *
     * @param key the key, not empty
     * @param loader called on a miss; may return null to cache an absence
     * @param tags labels for {@link #invalidateAll(String)}
     * @return the value, or null for a cached or loaded absence
     * @throws IllegalArgumentException when the key is null or empty, or a tag null or empty
     * @throws NullPointerException when {@code loader} or {@code tags} is null
     */
    public @Nullable V get(String key, CacheLoader<V> loader, String... tags) {
        checkKey(key);
        checkTags(tags);
        Objects.requireNonNull(loader, "loader");
        Entry<V> entry = null;
        if (local != null) {
            long nanos = clock.nanoTime();
            Local<V> held = getLocal(key, nanos);
            if (held != null) {
                if (nanos - held.freshNanos < 0) {
                    stats.localHits.increment();
                    if (refreshEarly(held.entry.loadMillis() * 1_000_000L, held.expiresNanos - nanos)) {
                        refreshInBackground(key, loader, tags, held.entry);
                    }
                    return held.entry.value();
                }
                entry = held.entry;
            }
            stats.localMisses.increment();
        }
        long now = clock.currentTimeMillis();
        Entry<V> remote = readRemote(key);
        if (remote != null) {
            entry = remote;
            if (local != null) {
                putLocal(key, remote);
            }
        }
        if (entry != null && entry.isFresh(now)) {
            stats.redisHits.increment();
            maybeRefreshEarly(key, loader, tags, entry, now);
            return entry.value();
        }
        stats.redisMisses.increment();
        if (entry != null && now < entry.freshUntil() + swrMillis && now < entry.staleUntil()) {
            stats.staleServed.increment();
            refreshInBackground(key, loader, tags, entry);
            return entry.value();
        }
        return load(key, loader, tags, entry).value();
    }

    /**
     * {@link #get(String, CacheLoader, String...)} without tags (and without the empty array a varargs call
     * allocates, so a hit allocates nothing).
     *
     * @param key the key, not empty
     * @param loader called on a miss; may return null to cache an absence
     * @return the value, or null for a cached or loaded absence
     * @throws IllegalArgumentException when the key is null or empty
     */
    public @Nullable V get(String key, CacheLoader<V> loader) {
        return get(key, loader, NO_TAGS);
    }

    /**
     * {@link #get(String, CacheLoader, String...)} for a loader that answers with a {@link CompletionStage}.
     * A local-tier hit completes at once on the calling thread; otherwise the lookup runs on the cache's
     * executor (Redis calls and the lease wait block there, never the caller). The stage fails with what the
     * loader's stage failed with.
     *
     * @param key the key, not empty
     * @param loader called on a miss; its stage may complete with null to cache an absence
     * @param tags labels for {@link #invalidateAll(String)}
     * @return a stage with the value (null for an absence); failed with the loader's failure
     * @throws IllegalArgumentException when the key is null or empty, or a tag null or empty
     * @throws NullPointerException when {@code loader} or {@code tags} is null
     */
    public CompletionStage<V> getAsync(String key, Function<String, ? extends CompletionStage<V>> loader, String... tags) {
        checkKey(key);
        checkTags(tags);
        Objects.requireNonNull(loader, "loader");
        if (local != null) {
            long nanos = clock.nanoTime();
            Local<V> held = getLocal(key, nanos);
            if (held != null && nanos - held.freshNanos < 0
                    && !refreshEarly(held.entry.loadMillis() * 1_000_000L, held.expiresNanos - nanos)) {
                stats.localHits.increment();
                return CompletableFuture.completedFuture(held.entry.value());
            }
        }
        CacheLoader<V> blocking = k -> {
            try {
                return loader.apply(k).toCompletableFuture().join();
            } catch (CompletionException e) {
                throw Throwables.sneakyThrow(e.getCause() != null ? e.getCause() : e);
            }
        };
        CompletableFuture<V> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(get(key, blocking, tags));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * The value if cached (local tier, else Redis) and fresh; never calls a loader. Empty when Redis cannot be asked.
     *
     * @param key the key, not empty
     * @return the fresh value, or empty on a miss, an absence, a stale value or Redis away
     */
    public Optional<V> getIfPresent(String key) {
        Entry<V> entry = find(key, false);
        return entry != null && !entry.absent() ? Optional.of(entry.presentValue()) : Optional.empty();
    }

    /**
     * Like {@link #getIfPresent(String)}, but tells a cached absence apart from a miss, and counts the read
     * in {@link #stats()} as {@link #get(String, CacheLoader, String...)} does (a local-tier and a Redis hit or
     * miss): empty when nothing fresh is cached (or Redis cannot be asked), else a {@link Cached} whose value
     * is null for a fresh absence (a loader returned null, or {@code put(key, null)}). Never calls a loader.
     * For adapters whose contract caches nulls, such as Spring's {@code Cache}.
     *
     * @param key the key, not empty
     * @return what is cached for the key: empty on a miss, a {@link Cached} with a null value for a cached absence
     * @throws IllegalArgumentException when the key is null or empty
     */
    public Optional<Cached<V>> lookup(String key) {
        Entry<V> entry = find(key, true);
        return entry == null ? Optional.empty() : Optional.of(new Cached<>(entry.absent() ? null : entry.value()));
    }

    /** A fresh entry from the local tier, else Redis (put into the local tier), else null. */
    private @Nullable Entry<V> find(String key, boolean count) {
        checkKey(key);
        long nanos = clock.nanoTime();
        long now = clock.currentTimeMillis();
        Entry<V> entry = localHit(key, nanos);
        if (entry != null && entry.isFresh(now)) {
            if (count) {
                stats.localHits.increment();
            }
            return entry;
        }
        if (count && local != null) {
            stats.localMisses.increment();
        }
        entry = readRemote(key);
        if (entry == null || !entry.isFresh(now)) {
            if (count) {
                stats.redisMisses.increment();
            }
            return null;
        }
        if (count) {
            stats.redisHits.increment();
            if (local != null) {
                putLocal(key, entry);
            }
        }
        return entry;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Stores {@code value} (null caches an absence for {@code absentTtl}) in both tiers, labelled with
     * {@code tags}, and tells the other instances to drop their local copy. Skipped (and counted) while
     * Redis is unavailable; never throws because of Redis.
     *
     * @param key the key, not empty
     * @param value the value, or null to cache an absence
     * @param tags labels for {@link #invalidateAll(String)}
     * @throws IllegalArgumentException when the key is null or empty, or a tag null or empty
     * @throws NullPointerException when {@code tags} is null
     */
    public void put(String key, V value, String... tags) {
        checkKey(key);
        checkTags(tags);
        Entry<V> entry = newEntry(value, 0);
        if (local != null) {
            putLocal(key, entry);
        }
        write(key, entry, tags, false);
        publishKeys(List.of(key));
    }

    /**
     * Removes {@code key} from Redis and from the local tier of every instance (the others within the
     * stated bound). While Redis is unavailable only the local tier is cleared, and the skipped Redis delete
     * is counted: the value's TTL then bounds how long it may still be served.
     *
     * @param key the key, not empty
     */
    public void invalidate(String key) {
        checkKey(key);
        if (local != null) {
            local.invalidate(key);
        }
        Boolean deleted = redis(() -> {
            store.delete(List.of(entryKey(key)));
            return Boolean.TRUE;
        }, null);
        if (deleted == null) {
            stats.writesSkipped.increment();
            return;
        }
        publishKeys(List.of(key));
    }

    /**
     * Removes every key stored with {@code tag} (through {@link #get(String, CacheLoader, String...)} or
     * {@link #put(String, Object, String...)}), from Redis and from every instance's local tier: reads the
     * tag's set of keys ({@code SMEMBERS}, no {@code KEYS}/{@code SCAN}), deletes those keys (on a Cluster
     * Lettuce splits the delete by slot) and removes them from the set. Answers how many keys the tag held;
     * 0 when Redis is unavailable (then the skipped write is counted).
     *
     * @param tag the tag, not empty
     * @return how many keys the tag held, all now removed (0 while Redis is unavailable)
     * @throws IllegalArgumentException when the tag is null or empty
     */
    public int invalidateAll(String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("tag must not be null or empty: " + (tag == null ? "null" : "\"\""));
        }
        String tagKey = tagKey(tag);
        Integer removed = redis(() -> {
            List<String> members = store.members(tagKey);
            List<String> keys = new ArrayList<>(members.size());
            for (String member : members) {
                keys.add(entryKey(member));
            }
            store.delete(keys);
            store.removeMembers(tagKey, members);
            if (local != null) {
                local.invalidateAll(members);
            }
            if (!members.isEmpty()) {
                publishKeys(members);
            }
            return members.size();
        }, null);
        if (removed == null) {
            stats.writesSkipped.increment();
            return 0;
        }
        return removed;
    }

    /**
     * Empties the cache on every instance: moves all instances to a new key generation ({@code INCR}, so
     * nothing is scanned; the old keys expire on their own) and clears the local tiers. While Redis is
     * unavailable only this instance's local tier is cleared (counted as a skipped write).
     */
    public void clear() {
        if (local != null) {
            local.invalidateAll();
        }
        Long next = redis(() -> store.increment(namespace + ":generation"), null);
        if (next == null) {
            stats.writesSkipped.increment();
            return;
        }
        generation = Math.max(generation, next);
        publish("C", Long.toString(next));
    }

    // ---------------------------------------------------------------- the rest of the API

    /**
     * The counters of this cache.
     *
     * @return live counters, updated as the cache works (read each for a snapshot of it)
     */
    public CacheStats stats() {
        return stats;
    }

    /**
     * The effective settings.
     *
     * @return the settings fixed at build time, without credentials
     */
    public Config config() {
        return config;
    }

    /**
     * The name given to the builder.
     *
     * @return the name
     */
    public String name() {
        return config.name();
    }

    /**
     * The breaker around Redis (for its own metrics binder or health check).
     *
     * @return the breaker, given to the builder or the cache's own
     */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /**
     * Entries held by the local tier now (0 without one).
     *
     * @return the number of entries, an estimate while entries expire
     */
    public long localSize() {
        return local == null ? 0 : local.estimatedSize();
    }

    /**
     * True while the breaker keeps the cache off Redis.
     *
     * @return true during a Redis outage
     */
    public boolean redisOutage() {
        return RedisOutageLog.isOutage(breaker.state());
    }

    /**
     * UP while the cache uses Redis and Redis answers the background probe; DEGRADED while the breaker keeps
     * it off Redis (serving from the local tier and the loader) or the probe finds Redis unreachable. Never
     * DOWN: the cache still answers.
     *
     * @return a health check of this cache, named after it
     */
    public HealthCheck asHealthCheck() {
        return () -> {
            if (redisOutage()) {
                return HealthCheckResult.degraded("Redis unavailable: serving from " + (local != null ? "the local tier and " : "")
                        + "the loader").withDetail("redis", store.description())
                        .withDetail("writesSkipped", stats.writesSkipped())
                        .withDetail("outageForMillis", Duration.ofNanos(clock.nanoTime() - outageLog.outageStartNanos()).toMillis());
            }
            if (!store.isReachable()) {
                return HealthCheckResult.degraded("Redis unreachable").withDetail("redis", store.description());
            }
            return HealthCheckResult.up().withDetail("redis", store.description());
        };
    }

    @Override
    public void close() {
        closed = true;
        store.close();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "RedisCache{" + config.name() + ", " + store.description() + "}";
    }

    // ---------------------------------------------------------------- internals

    private Entry<V> load(String key, CacheLoader<V> loader, String[] tags, @Nullable Entry<V> stale) {
        CompletableFuture<Entry<V>> mine = new CompletableFuture<>();
        CompletableFuture<Entry<V>> running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            stats.coalesced.increment();
            try {
                return running.join();
            } catch (CompletionException e) {
                throw Throwables.sneakyThrow(e.getCause() != null ? e.getCause() : e);
            }
        }
        try {
            Entry<V> loaded = loadedMeanwhile(key);
            if (loaded == null) {
                loaded = loadAsLeader(key, loader, tags, stale, false);
            }
            mine.complete(loaded);
            return loaded;
        } catch (Throwable t) {
            mine.completeExceptionally(t);
            throw Throwables.sneakyThrow(t);
        } finally {
            inflight.remove(key, mine);
        }
    }

    /**
     * A fresh entry another caller of this instance loaded between this caller's miss and its winning the
     * single-flight slot (the previous load had finished and left the slot): without this second look, such a
     * caller would call the loader again. Reads the local tier, or Redis when there is none (one more read
     * per load, small next to the load it saves).
     */
    private @Nullable Entry<V> loadedMeanwhile(String key) {
        Entry<V> entry;
        if (local != null) {
            entry = localHit(key, clock.nanoTime());
        } else {
            entry = readRemote(key);
        }
        if (entry != null && entry.isFresh(clock.currentTimeMillis())) {
            stats.coalesced.increment();
            return entry;
        }
        return null;
    }

    /**
     * Calls the loader under the cross-instance lease. When another instance holds the lease, waits (up to
     * the lease time) for its value to appear in Redis; a background refresh just leaves it to that instance.
     * A background refresh that finds the lease taken answers {@code current} unchanged.
     */
    private Entry<V> loadAsLeader(String key, CacheLoader<V> loader, String[] tags, @Nullable Entry<V> current, boolean background) throws Exception {
        String entryKey = entryKey(key);
        boolean leased = false;
        if (leaseMillis > 0) {
            Boolean got = redis(() -> store.tryLease(entryKey + ":lease", instanceId, leaseMillis), null);
            if (Boolean.FALSE.equals(got)) {
                if (background) {
                    // a background refresh always runs for an entry it holds (refreshInBackground, maybeRefreshEarly)
                    return Objects.requireNonNull(current, "current");
                }
                Awaited<V> awaited = awaitOtherInstance(key, entryKey + ":lease");
                if (awaited.entry() != null) {
                    return awaited.entry();
                }
                got = awaited.leased();
            } else if (Boolean.TRUE.equals(got) && !background) {
                // another instance may have stored the value (and released its lease) since this caller's read
                byte[] bytes = redis(() -> store.get(entryKey), null);
                Entry<V> theirs = bytes == null ? null : decode(key, bytes);
                if (theirs != null && theirs.isFresh(clock.currentTimeMillis())) {
                    releaseLease(entryKey + ":lease");
                    stats.coalesced.increment();
                    if (local != null) {
                        putLocal(key, theirs);
                    }
                    return theirs;
                }
            }
            leased = Boolean.TRUE.equals(got);
        }
        long start = clock.nanoTime();
        V value;
        try {
            value = loader.load(key);
        } catch (Throwable t) {
            stats.loadFailures.increment();
            if (leased) {
                releaseLease(entryKey + ":lease");
            }
            long now = clock.currentTimeMillis();
            if (current != null && now < current.freshUntil() + sieMillis && now < current.staleUntil()) {
                stats.staleServed.increment();
                log.debug("Cache {}: loading {} failed, serving the stale value (stale-if-error)", config.name(), key, t);
                return current;
            }
            throw t;
        }
        long took = clock.nanoTime() - start;
        stats.loads.increment();
        stats.loadNanos.add(took);
        Entry<V> loaded = newEntry(value, (int) Math.min(Integer.MAX_VALUE, Duration.ofNanos(took).toMillis()));
        if (local != null && isCacheable(loaded)) {
            putLocal(key, loaded);
        }
        write(key, loaded, tags, leased);
        return loaded;
    }

    /**
     * Polls Redis for the value another instance is loading. Ends with that value; or with this instance
     * holding the lease when the other one gave it up without storing a value (its loader failed, or the
     * value was not cacheable), so a failed load elsewhere does not hold callers here for the lease time;
     * or with neither when the lease time passed or Redis went away.
     */
    private Awaited<V> awaitOtherInstance(String key, String leaseKey) throws InterruptedException {
        long deadline = clock.nanoTime() + Duration.ofMillis(leaseMillis).toNanos();
        while (clock.nanoTime() - deadline < 0) {
            sleeper.sleep(LEASE_POLL);
            byte[] bytes = redis(() -> store.get(entryKey(key)), UNAVAILABLE);
            if (bytes == UNAVAILABLE) {
                return new Awaited<>(null, false);
            }
            Entry<V> theirs = bytes == null ? null : decode(key, bytes);
            if (theirs == null || !theirs.isFresh(clock.currentTimeMillis())) {
                Boolean got = redis(() -> store.tryLease(leaseKey, instanceId, leaseMillis), null);
                if (!Boolean.TRUE.equals(got)) {
                    if (got == null) {
                        return new Awaited<>(null, false);
                    }
                    continue; // still held: the other instance is loading
                }
                // the holder may have stored its value just before it released the lease
                bytes = redis(() -> store.get(entryKey(key)), null);
                theirs = bytes == null ? null : decode(key, bytes);
                if (theirs == null || !theirs.isFresh(clock.currentTimeMillis())) {
                    return new Awaited<>(null, true);
                }
                releaseLease(leaseKey);
            }
            stats.coalesced.increment();
            if (local != null) {
                putLocal(key, theirs);
            }
            return new Awaited<>(theirs, false);
        }
        return new Awaited<>(null, false);
    }

    /** Releases this instance's lease on a key, unless another instance holds it by now; never throws because of Redis. */
    private void releaseLease(String leaseKey) {
        redis(() -> {
            store.releaseLease(leaseKey, instanceId);
            return Boolean.TRUE;
        }, null);
    }

    /** How a wait for another instance's load ended: with its value, or with this instance holding the lease, or neither. */
    private record Awaited<V>(@Nullable Entry<V> entry, boolean leased) {
    }

    private void maybeRefreshEarly(String key, CacheLoader<V> loader, String[] tags, Entry<V> entry, long now) {
        if (refreshEarly(entry.loadMillis(), entry.freshUntil() - now)) {
            refreshInBackground(key, loader, tags, entry);
        }
    }

    /**
     * XFetch (Vattani, Chierichetti, Lowenstein, "Optimal Probabilistic Cache Stampede Prevention"): refresh
     * when {@code now - loadTime * beta * ln(random) >= expiry}; the closer to expiry and the slower the load,
     * the likelier, so one caller among many refreshes a hot key before it expires. {@code loadTime} and
     * {@code untilExpiry} in the same unit (ms from Redis' wall-clock times, ns in the local tier). Far from
     * expiry no random number is drawn: {@code -ln(random)} cannot reach the gap.
     */
    private boolean refreshEarly(long loadTime, long untilExpiry) {
        if (beta <= 0 || loadTime <= 0) {
            return false;
        }
        double window = loadTime * beta;
        if (untilExpiry > window * MAX_XFETCH_GAP) {
            return false;
        }
        double r = random.getAsDouble();
        return r <= 0 || -window * Math.log(r) >= untilExpiry;
    }

    private void refreshInBackground(String key, CacheLoader<V> loader, String[] tags, Entry<V> current) {
        if (inflight.containsKey(key)) {
            return;
        }
        CompletableFuture<Entry<V>> mine = new CompletableFuture<>();
        if (inflight.putIfAbsent(key, mine) != null) {
            return;
        }
        stats.earlyRefreshes.increment();
        Runnable refresh = () -> {
            try {
                mine.complete(loadAsLeader(key, loader, tags, current, true));
            } catch (Throwable t) {
                log.debug("Cache {}: background refresh of {} failed; the current value stays", config.name(), key, t);
                mine.complete(current);
            } finally {
                inflight.remove(key, mine);
            }
        };
        try {
            executor.execute(refresh);
        } catch (RejectedExecutionException e) {
            inflight.remove(key, mine);
            mine.complete(current);
        }
    }

    private Entry<V> newEntry(V value, int loadMillis) {
        long now = clock.currentTimeMillis();
        if (value == null) {
            long fresh = now + absentTtlMillis;
            return new Entry<>(null, true, fresh, fresh, loadMillis);
        }
        long ttl = ttlMillis - (long) (ttlMillis * jitter * random.getAsDouble());
        long fresh = now + Math.max(1, ttl);
        return new Entry<>(value, false, fresh, fresh + staleWindowMillis, loadMillis);
    }

    private boolean isCacheable(Entry<V> entry) {
        return !entry.absent() || absentTtlMillis > 0;
    }

    private void write(String key, Entry<V> entry, String[] tags, boolean releaseLease) {
        if (!isCacheable(entry)) {
            if (releaseLease) {
                releaseLease(entryKey(key) + ":lease");
            }
            return;
        }
        byte[] bytes;
        try {
            bytes = Entry.encode(entry, entry.absent() ? null : codec.encode(entry.presentValue()));
        } catch (RuntimeException e) {
            log.warn("Cache {}: cannot encode the value of {} with {}: {}; not stored in Redis", config.name(), key, codec, e.toString());
            if (releaseLease) { // the other instances stop waiting for a value that will not come
                releaseLease(entryKey(key) + ":lease");
            }
            return;
        }
        long px = Math.max(1, entry.staleUntil() - clock.currentTimeMillis());
        List<String> tagKeys = tags.length == 0 ? List.of() : Arrays.stream(tags).map(this::tagKey).toList();
        String entryKey = entryKey(key);
        Boolean written = redis(() -> {
            store.set(entryKey, bytes, px, tags.length == 0 ? NO_TAGS_MEMBER : key, tagKeys, ttlMillis + staleWindowMillis);
            if (releaseLease) {
                store.releaseLease(entryKey + ":lease", instanceId);
            }
            return Boolean.TRUE;
        }, null);
        if (written == null) {
            stats.writesSkipped.increment();
        }
    }

    private @Nullable Entry<V> readRemote(String key) {
        byte[] bytes = redis(() -> store.get(entryKey(key)), UNAVAILABLE);
        if (bytes == null || bytes == UNAVAILABLE) {
            return null;
        }
        return decode(key, bytes);
    }

    private @Nullable Entry<V> decode(String key, byte[] bytes) {
        Entry<byte[]> raw = Entry.decode(bytes);
        if (raw == null) {
            log.debug("Cache {}: the Redis value of {} is not in this cache's format; loading it again", config.name(), key);
            return null;
        }
        try {
            return new Entry<>(raw.absent() ? null : codec.decode(raw.presentValue()), raw.absent(), raw.freshUntil(), raw.staleUntil(), raw.loadMillis());
        } catch (RuntimeException e) {
            log.debug("Cache {}: cannot decode the Redis value of {} with {}; loading it again", config.name(), key, codec, e);
            return null;
        }
    }

    /** Runs one Redis operation through the breaker; {@code unavailable} when the breaker refused it or it failed. */
    private <T> @Nullable T redis(RedisCall<T> call, @Nullable T unavailable) {
        if (closed || !breaker.tryAcquirePermission()) {
            return unavailable;
        }
        long start = clock.nanoTime();
        try {
            T result = call.run();
            long took = clock.nanoTime() - start;
            breaker.onSuccess(took);
            stats.redisCalls.increment();
            stats.redisNanos.add(took);
            return result;
        } catch (Exception e) {
            long took = clock.nanoTime() - start;
            breaker.onError(took, e);
            stats.redisCalls.increment();
            stats.redisNanos.add(took);
            stats.redisErrors.increment();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("Cache {}: a Redis call failed", config.name(), e);
            return unavailable;
        }
    }

    private void publish(String op, String payload) {
        redis(() -> {
            store.publish(channel, instanceId + " " + op + payload);
            return Boolean.TRUE;
        }, null);
    }

    /**
     * Tells the other instances to drop these keys: one 'K' message with the keys one a line, and a 'k'
     * message (one key, taken whole) for each key that holds a line feed itself.
     */
    private void publishKeys(List<String> keys) {
        List<String> plain = new ArrayList<>(keys.size());
        for (String key : keys) {
            if (key.indexOf('\n') >= 0) {
                publish("k", key);
            } else {
                plain.add(key);
            }
        }
        if (!plain.isEmpty()) {
            publish("K", String.join("\n", plain));
        }
    }

    private void onMessage(String message) {
        int space = message.indexOf(' ');
        if (space < 0 || message.length() < space + 2 || message.startsWith(instanceId + " ")) {
            return;
        }
        char op = message.charAt(space + 1);
        String payload = message.substring(space + 2);
        if (op == 'K' && local != null) {
            local.invalidateAll(Arrays.asList(payload.split("\n")));
        } else if (op == 'k' && local != null) {
            local.invalidate(payload);
        } else if (op == 'C') {
            try {
                generation = Math.max(generation, Long.parseLong(payload));
            } catch (NumberFormatException e) {
                return;
            }
            if (local != null) {
                local.invalidateAll();
            }
        }
    }

    /**
     * Every second (and at start): subscribes to the invalidation channel until that worked, and reads the
     * key generation (a {@link #clear()} whose message this instance missed is caught here).
     */
    private void coherence() {
        if (closed) {
            return;
        }
        if (!subscribed && subscribing.compareAndSet(false, true)) {
            store.subscribe(channel, this::onMessage).whenComplete((ok, error) -> {
                subscribed = error == null;
                subscribing.set(false);
            });
        }
        Long current = redis(() -> store.counter(namespace + ":generation"), null);
        if (current != null && current != generation) {
            generation = current;
            if (local != null) {
                local.invalidateAll();
            }
        }
        scheduler.schedule(() -> {
            try {
                executor.execute(this::coherence);
            } catch (RejectedExecutionException e) {
                // closed
            }
        }, COHERENCE_INTERVAL);
    }

    private String entryKey(String key) {
        return namespace + ":g" + generation + ":{" + key + "}";
    }

    private String tagKey(String tag) {
        return namespace + ":tag:{" + tag + "}";
    }

    private static void checkTags(String[] tags) {
        Objects.requireNonNull(tags, "tags");
        for (String tag : tags) {
            if (tag == null || tag.isEmpty()) { // invalidateAll could never name it
                throw new IllegalArgumentException("tags must not hold a null or empty tag: " + Arrays.toString(tags));
            }
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be null or empty: " + (key == null ? "null" : "\"\""));
        }
    }

    @FunctionalInterface
    private interface RedisCall<T> {
        T run() throws Exception;
    }

    /**
     * What {@link #lookup(String)} found: a value, or null for a cached absence.
     *
     * @param value the cached value; null when an absence is cached
     * @param <V> the value type
     */
    public record Cached<V>(@Nullable V value) {
    }

    /**
     * A value in the local tier and its deadlines on the cache's monotonic clock ({@code nanoTime}), fixed
     * when it was stored: {@code expiresNanos} its Redis freshness (for early refresh), {@code freshNanos}
     * until when a read is a local hit (the earlier of that and the local TTL), {@code keepNanos} until when it
     * may still be served stale (the earlier of its stale-until and the local TTL).
     */
    private static final class Local<V> {
        final Entry<V> entry;
        final long expiresNanos;
        final long freshNanos;
        final long keepNanos;

        Local(Entry<V> entry, long expiresNanos, long freshNanos, long keepNanos) {
            this.entry = entry;
            this.expiresNanos = expiresNanos;
            this.freshNanos = freshNanos;
            this.keepNanos = keepNanos;
        }
    }

    /**
     * The effective settings of a cache.
     *
     * @param name the cache's name
     * @param keyPrefix what every Redis key starts with
     * @param namespaceVersion the version in every key
     * @param ttl how long a value is fresh (before jitter)
     * @param ttlJitter the largest share of the TTL taken off at random
     * @param absentTtl how long an absence is remembered (0: not at all)
     * @param staleWhileRevalidate how long past its TTL a value is served while reloaded in the background
     * @param staleIfError how long past its TTL a value is served when the loader fails
     * @param earlyRefreshBeta XFetch's beta (0: no early refresh)
     * @param lease how long one instance may load a key while the others wait (0: no lease)
     * @param localMaxEntries the local tier's size bound (0: no local tier)
     * @param localTtl how long the local tier keeps a value: the staleness bound across instances
     * @param redis hosts and ports of Redis
     */
    public record Config(String name, String keyPrefix, int namespaceVersion, Duration ttl, double ttlJitter, Duration absentTtl,
                         Duration staleWhileRevalidate, Duration staleIfError, double earlyRefreshBeta, Duration lease,
                         long localMaxEntries, Optional<Duration> localTtl, String redis) {
    }

    /**
     * Builds a {@link RedisCache}. Not thread-safe; the built cache is. Defaults: TTL 10 minutes with 10 %
     * jitter, absences remembered 30 s, no stale windows, early refresh with beta 1, a 5 s lease, no local
     * tier, key prefix {@code "cache:"}, namespace version 1.
     *
     * @param <V> the value type
     */
    public static final class Builder<V> {
        private final String name;
        private final CacheCodec<V> codec;
        private RedisConnection.@Nullable Builder connectionSettings;
        private @Nullable RedisConnection<String, byte[]> connection;
        private @Nullable RemoteStore store;
        private String keyPrefix = "cache:";
        private int namespaceVersion = 1;
        private Duration ttl = Duration.ofMinutes(10);
        private double ttlJitter = 0.1;
        private Duration absentTtl = Duration.ofSeconds(30);
        private Duration staleWhileRevalidate = Duration.ZERO;
        private Duration staleIfError = Duration.ZERO;
        private double earlyRefreshBeta = 1.0;
        private Duration lease = Duration.ofSeconds(5);
        private long localMaxEntries;
        private Duration localTtl = Duration.ofSeconds(5);
        private @Nullable CircuitBreaker breaker;
        private Clock clock = Clock.system();
        private Sleeper sleeper = Sleeper.system();
        private Scheduler scheduler = Scheduler.defaultScheduler();
        private @Nullable Executor executor;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder(String name, CacheCodec<V> codec) {
            Arguments.notNull("name", name);
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw Arguments.invalid("name", "be letters, digits, '.', '_' or '-'", "'" + name + "'");
            }
            this.name = name;
            this.codec = Arguments.notNull("codec", codec);
        }

        /**
         * Connects to this standalone, Sentinel or TLS URI with a 100 ms command timeout; the cache owns the
         * connection. For other settings or a Cluster use {@link #redis(RedisConnection)}.
         *
         * @param uri the Redis URI; its password is never logged or shown
         * @return this builder
         * @throws IllegalArgumentException when the URI is malformed (the message hides any password)
         */
        public Builder<V> redisUri(String uri) {
            this.connectionSettings = RedisConnection.builder().uri(uri).commandTimeout(Duration.ofMillis(100));
            this.connection = null;
            return this;
        }

        /**
         * Uses a shared connection made by {@link RedisCache#connect(RedisConnection.Builder)}; the caller closes it.
         *
         * @param connection the shared connection, from {@link RedisCache#connect(RedisConnection.Builder)}
         * @return this builder
         */
        public Builder<V> redis(RedisConnection<String, byte[]> connection) {
            this.connection = Arguments.notNull("connection", connection);
            this.connectionSettings = null;
            return this;
        }

        /** For tests of this package: a store other than Redis. */
        Builder<V> store(RemoteStore store) {
            this.store = store;
            return this;
        }

        /**
         * What every Redis key of the cache starts with (default {@code "cache:"}): give each service its own.
         *
         * @param prefix the key prefix, not blank
         * @return this builder
         * @throws IllegalArgumentException when it holds a brace (it would change the Cluster hash tag)
         */
        public Builder<V> keyPrefix(String prefix) {
            Arguments.notNull("keyPrefix", prefix);
            if (prefix.contains("{") || prefix.contains("}")) {
                throw Arguments.invalid("keyPrefix", "not hold '{' or '}'", "'" + prefix + "'");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * The version in every key (default 1): bump it when the cached type changes shape, so instances of the
         * new version never read values written by the old one (and vice versa during a rolling deploy).
         *
         * @param version the version, 0 or more
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder<V> namespaceVersion(int version) {
            this.namespaceVersion = Arguments.atLeast("namespaceVersion", version, 0);
            return this;
        }

        /**
         * How long a value is fresh (default 10 minutes).
         *
         * @param ttl the freshness, between 1 ms and 365 days
         * @return this builder
         * @throws IllegalArgumentException unless between 1 ms and 365 days
         */
        public Builder<V> ttl(Duration ttl) {
            this.ttl = Arguments.between("ttl", ttl, Duration.ofMillis(1), Duration.ofDays(365));
            return this;
        }

        /**
         * The largest share of the TTL taken off each value at random (default 0.1: a value lives between 90 %
         * and 100 % of the TTL), so values written together do not all expire together.
         *
         * @param share the jitter share, between 0 and 0.5
         * @return this builder
         * @throws IllegalArgumentException unless between 0 and 0.5
         */
        public Builder<V> ttlJitter(double share) {
            if (!(share >= 0 && share <= 0.5)) {
                throw Arguments.invalid("ttlJitter", "be between 0 and 0.5", share);
            }
            this.ttlJitter = share;
            return this;
        }

        /**
         * How long an absence (the loader returned null) is remembered (default 30 s; {@link Duration#ZERO}:
         * never, each read calls the loader).
         *
         * @param ttl how long an absence is cached, between 0 and 365 days
         * @return this builder
         * @throws IllegalArgumentException unless between 0 and 365 days
         */
        public Builder<V> absentTtl(Duration ttl) {
            this.absentTtl = Arguments.between("absentTtl", ttl, Duration.ZERO, Duration.ofDays(365));
            return this;
        }

        /**
         * How long past its TTL a value is still served while one caller reloads it in the background (default 0).
         *
         * @param window the stale-while-revalidate window, between 0 and 365 days
         * @return this builder
         * @throws IllegalArgumentException unless between 0 and 365 days
         */
        public Builder<V> staleWhileRevalidate(Duration window) {
            this.staleWhileRevalidate = Arguments.between("staleWhileRevalidate", window, Duration.ZERO, Duration.ofDays(365));
            return this;
        }

        /**
         * How long past its TTL a value is served when reloading it fails (default 0: the loader's exception
         * reaches the caller).
         *
         * @param window the stale-if-error window, between 0 and 365 days
         * @return this builder
         * @throws IllegalArgumentException unless between 0 and 365 days
         */
        public Builder<V> staleIfError(Duration window) {
            this.staleIfError = Arguments.between("staleIfError", window, Duration.ZERO, Duration.ofDays(365));
            return this;
        }

        /**
         * XFetch's beta (default 1): above 1 refreshes earlier, below later; 0 turns early refresh off.
         *
         * @param beta the early-refresh factor, between 0 and 10
         * @return this builder
         * @throws IllegalArgumentException unless between 0 and 10
         */
        public Builder<V> earlyRefreshBeta(double beta) {
            if (!(beta >= 0 && beta <= 10)) {
                throw Arguments.invalid("earlyRefreshBeta", "be between 0 and 10", beta);
            }
            this.earlyRefreshBeta = beta;
            return this;
        }

        /**
         * How long one instance may load a key while the others wait for its value (default 5 s; 0: no lease,
         * each instance loads on its own). Set it above the loader's usual time: a load that takes longer lets
         * another instance load too.
         *
         * @param lease the lease time, between 0 and 1 minute
         * @return this builder
         * @throws IllegalArgumentException unless between 0 and 1 minute
         */
        public Builder<V> lease(Duration lease) {
            this.lease = Arguments.between("lease", lease, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /**
         * Adds a local Caffeine tier of at most {@code maxEntries} values, each kept at most {@code ttl}
         * (and never past its Redis freshness and stale windows). {@code ttl} is the bound on how long this
         * instance may serve a value another instance invalidated when an invalidation message is lost.
         *
         * @param maxEntries the local tier's size bound, above 0
         * @param ttl the longest a value stays in the local tier, between 1 ms and 1 hour
         * @return this builder
         * @throws IllegalArgumentException when maxEntries is not positive or ttl not between 1 ms and 1 hour
         */
        public Builder<V> localTier(long maxEntries, Duration ttl) {
            this.localMaxEntries = Arguments.atLeast("localTier maxEntries", maxEntries, 1L);
            this.localTtl = Arguments.between("localTier ttl", ttl, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * The breaker around Redis (default: opens at 50 % failures of the last 20 calls, open 1 s doubling to 10 s).
         *
         * @param breaker the breaker; the cache then reports its state but does not own it
         * @return this builder
         */
        public Builder<V> circuitBreaker(CircuitBreaker breaker) {
            this.breaker = Arguments.notNull("circuitBreaker", breaker);
            return this;
        }

        /**
         * The time source (default the system clock). A local-tier hit reads its {@code nanoTime()} once: with
         * {@code CoarseClock.system()} that is a field read instead of a {@code System.nanoTime()} call (about
         * half of a hit's cost), and the local TTL then holds to the coarse clock's 1 ms resolution.
         *
         * @param clock the clock of freshness and of the lease wait
         * @return this builder
         */
        public Builder<V> clock(Clock clock) {
            this.clock = Arguments.notNull("clock", clock);
            return this;
        }

        /**
         * How waiting for another instance's lease sleeps (default the system sleeper).
         *
         * @param sleeper the sleeper of the lease wait
         * @return this builder
         */
        public Builder<V> sleeper(Sleeper sleeper) {
            this.sleeper = Arguments.notNull("sleeper", sleeper);
            return this;
        }

        /**
         * Schedules the cache's once-a-second coherence task (default the library's shared scheduler).
         *
         * @param scheduler the scheduler of the coherence task
         * @return this builder
         */
        public Builder<V> scheduler(Scheduler scheduler) {
            this.scheduler = Arguments.notNull("scheduler", scheduler);
            return this;
        }

        /**
         * Runs background refreshes, {@link RedisCache#getAsync} lookups, the coherence task and the local
         * tier's upkeep (Caffeine's reordering and evictions, off the reading threads) (default: a pool of
         * daemon threads the cache owns and stops on close).
         *
         * @param executor the executor; the caller stops it after closing the cache
         * @return this builder
         */
        public Builder<V> executor(Executor executor) {
            this.executor = Arguments.notNull("executor", executor);
            return this;
        }

        /**
         * The random numbers for jitter and early refresh, in (0, 1] (default {@link ThreadLocalRandom}).
         *
         * @param random the source of random numbers in (0, 1]
         * @return this builder
         */
        public Builder<V> random(DoubleSupplier random) {
            this.random = Arguments.notNull("random", random);
            return this;
        }

        /**
         * Creates the cache (connecting to Redis when it was given a URI; an unreachable Redis does not fail this).
         *
         * @return the cache; close it at shutdown
         * @throws IllegalStateException when neither a URI nor a connection was given
         */
        public RedisCache<V> build() {
            if (store == null && connection == null && connectionSettings == null) {
                throw new IllegalStateException("set redisUri(...) or redis(...) before build()");
            }
            return new RedisCache<>(this);
        }
    }
}
