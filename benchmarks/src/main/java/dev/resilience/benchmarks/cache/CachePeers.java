package dev.resilience.benchmarks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import dev.resilience.cache.CacheCodec;
import dev.resilience.cache.CacheLoader;
import dev.resilience.cache.RedisCache;
import dev.resilience.redis.RedisConnection;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.redisson.Redisson;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;
import org.redisson.config.Config;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The caches compared, each built the same way in every benchmark: ours, Spring Data Redis's
 * {@code RedisCacheManager} on Lettuce and Redisson, on the Redis of {@code RESILIENCE_BENCH_REDIS_URI}
 * (default {@code redis://127.0.0.1:6379}). Every side stores {@code byte[]} values as they are (no
 * serializer cost on any side) under {@code String} keys, with a TTL of 30 minutes.
 */
final class CachePeers {

    static final Duration TTL = Duration.ofMinutes(30);
    static final Codec REDISSON_CODEC = new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE, ByteArrayCodec.INSTANCE);

    private CachePeers() {
    }

    static String uri() {
        return System.getenv().getOrDefault("RESILIENCE_BENCH_REDIS_URI", "redis://127.0.0.1:6379");
    }

    /** Our connection, with a command timeout that a loaded machine does not hit (a timeout would open the breaker). */
    static RedisConnection<String, byte[]> oursConnection() {
        return RedisCache.connect(RedisConnection.builder().uri(uri()).commandTimeout(Duration.ofSeconds(2)));
    }

    /** Ours at its defaults but the TTL, without a local tier (every read is a Redis {@code GET}). */
    static RedisCache.Builder<byte[]> ours(String name, RedisConnection<String, byte[]> connection) {
        return RedisCache.builder(name, CacheCodec.bytes()).redis(connection).keyPrefix("bench:ours:").ttl(TTL);
    }

    static void awaitConnected(RedisConnection<?, ?> connection) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!connection.isConnected() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /**
     * Spring at its best documented settings: one shared native Lettuce connection (the default,
     * {@code shareNativeConnection}), the non-locking cache writer (the default; the locking one adds a lock
     * check to every read), values as raw bytes ({@code RedisSerializer.byteArray()}), no null caching, no
     * statistics.
     */
    static LettuceConnectionFactory springConnectionFactory() {
        RedisURI parsed = RedisURI.create(uri());
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(parsed.getHost(), parsed.getPort());
        LettuceConnectionFactory factory = new LettuceConnectionFactory(server);
        factory.setShareNativeConnection(true);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    static RedisCacheManager springCacheManager(LettuceConnectionFactory factory) {
        return springCacheManager(factory, false);
    }

    /**
     * {@code locking}: Spring's locking cache writer, which holds a Redis lock per cache (not per key) while
     * it loads and writes, and makes every read wait while that lock exists: its documented way to keep
     * instances from loading a value together. Not its fastest setting for reads.
     */
    static RedisCacheManager springCacheManager(LettuceConnectionFactory factory, boolean locking) {
        RedisCacheConfiguration config = RedisCacheConfiguration.defaultCacheConfig()
                .entryTtl(TTL)
                .disableCachingNullValues()
                .prefixCacheNameWith("bench:spring:")
                .serializeValuesWith(SerializationPair.fromSerializer(RedisSerializer.byteArray()));
        RedisCacheManager manager = RedisCacheManager.builder(locking
                ? RedisCacheWriter.lockingRedisCacheWriter(factory) : RedisCacheWriter.nonLockingRedisCacheWriter(factory))
                .cacheDefaults(config).build();
        manager.afterPropertiesSet();
        return manager;
    }

    /** Redisson with its default single-server settings (a pool of connections, 24 to 64). */
    static RedissonClient redisson() {
        RedisURI parsed = RedisURI.create(uri());
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + parsed.getHost() + ":" + parsed.getPort());
        config.setCodec(REDISSON_CODEC);
        return Redisson.create(config);
    }

    /** The loader of a local-tier benchmark: a hit never loads, so a call means the measurement is wrong. */
    static final CacheLoader<byte[]> NEVER = key -> {
        throw new IllegalStateException("a local-tier hit never loads: " + key);
    };

    /** Redisson's two-tier map at its best settings: a 10,000-entry LRU, invalidation sync, keys as objects. */
    static RLocalCachedMap<String, byte[]> redissonLocal(RedissonClient redisson, String name) {
        return redisson.getLocalCachedMap(LocalCachedMapOptions.<String, byte[]>name(name)
                .cacheSize(10_000).evictionPolicy(LocalCachedMapOptions.EvictionPolicy.LRU)
                .syncStrategy(LocalCachedMapOptions.SyncStrategy.INVALIDATE).useObjectAsCacheKey(true)
                .codec(REDISSON_CODEC));
    }

    /**
     * Stores one value per key on every local-tier side, then reads each once through ours and Redisson's, so
     * the local copies exist on every side before the first measurement.
     */
    static void fillLocalTiers(String[] keys, int valueSize, RedisCache<byte[]> ours, RedisCache<byte[]> oursCoarse,
                               Cache<String, byte[]> caffeine, RLocalCachedMap<String, byte[]> redissonLocal) {
        for (int i = 0; i < keys.length; i++) {
            byte[] value = value(valueSize, i);
            ours.put(keys[i], value);
            oursCoarse.put(keys[i], value);
            caffeine.put(keys[i], value);
            redissonLocal.fastPut(keys[i], value);
        }
        for (String key : keys) {
            ours.get(key, NEVER);
            oursCoarse.get(key, NEVER);
            redissonLocal.get(key);
        }
    }

    static String[] keys(int count) {
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = "order:" + (100_000 + i);
        }
        return keys;
    }

    static byte[] value(int size, int seed) {
        byte[] value = new byte[size];
        ThreadLocalRandom.current().nextBytes(value);
        value[0] = (byte) seed;
        return value;
    }
}
