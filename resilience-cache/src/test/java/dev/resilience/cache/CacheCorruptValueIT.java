package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.cache.internal.Entry;
import dev.resilience.redis.RedisConnection;
import dev.resilience.testkit.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Values at a cache's keys that it did not write (another program, an operator with redis-cli, a changed
 * codec), on a real redis-server: each is a miss, loaded again and overwritten, never an exception.
 */
class CacheCorruptValueIT {

    /** Strings, but refuses payloads that do not start with "ok:" (as a changed class would fail to decode). */
    private static final CacheCodec<String> STRICT = new CacheCodec<>() {
        @Override
        public byte[] encode(String value) {
            return ("ok:" + value).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.startsWith("ok:")) {
                throw new IllegalArgumentException("not mine: " + text);
            }
            return text.substring(3);
        }
    };

    @Test
    void aValueTheCacheDidNotWriteIsAMissLoadedAgainAndOverwritten() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CacheLoader<String> database = key -> "loaded " + key + " " + loads.incrementAndGet();
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            RedisClient client = RedisClient.create(redis.uri());
            RedisConnection<String, byte[]> connection = RedisCache.connect(RedisConnection.builder().uri(redis.uri())
                    .commandTimeout(Duration.ofSeconds(1)));
            try (StatefulRedisConnection<String, byte[]> cli = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                 RedisCache<String> cache = RedisCache.builder("corrupt", STRICT).redis(connection).build()) {
                String prefix = "cache:corrupt:v1:g0:";
                long now = System.currentTimeMillis();
                byte[] foreignPayload = Entry.encode(new Entry<>("x", false, now + 60_000, now + 60_000, 1),
                        "{\"json\":1}".getBytes(StandardCharsets.UTF_8));
                cli.sync().set(prefix + "{text}", "hello from redis-cli".getBytes(StandardCharsets.UTF_8));
                cli.sync().set(prefix + "{empty}", new byte[0]);
                cli.sync().set(prefix + "{short}", new byte[] {1, 0, 0});
                cli.sync().set(prefix + "{codec}", foreignPayload);
                cli.sync().hset(prefix + "{hash}", "field", "value".getBytes(StandardCharsets.UTF_8)); // WRONGTYPE for GET
                cli.sync().sadd(prefix + "{set}", "member".getBytes(StandardCharsets.UTF_8));

                String[] keys = {"text", "empty", "short", "codec", "hash", "set"};
                for (String key : keys) {
                    String value = cache.get(key, database); // never an exception
                    assertThat(value).startsWith("loaded " + key);
                    assertThat(cache.get(key, database)).as("stored over the foreign value: %s", key).isEqualTo(value);
                }
                assertThat(loads).hasValue(keys.length);
                assertThat(cli.sync().exists(prefix + "{text}:lease")).as("the lease was released").isZero();
                assertThat(cache.redisOutage()).isFalse();
                assertThat(cache.getIfPresent("codec")).hasValueSatisfying(v -> assertThat(v).startsWith("loaded codec"));
            } finally {
                connection.close();
                client.shutdown();
            }
        }
    }
}
