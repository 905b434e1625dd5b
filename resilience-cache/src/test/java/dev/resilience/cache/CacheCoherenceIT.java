package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three instances with local tiers on one real redis-server: an invalidation, a put, a tag invalidation and a
 * clear on one instance are seen by the others within the stated bound, the local tier's TTL (2 s here),
 * though each local copy would otherwise live that long.
 */
class CacheCoherenceIT {

    private static final Duration LOCAL_TTL = Duration.ofSeconds(2);

    @Test
    void changesOnOneInstanceReachTheOthersWithinTheLocalTtl() {
        AtomicInteger loads = new AtomicInteger();
        CacheLoader<String> database = key -> "v" + loads.incrementAndGet();
        List<RedisCache<String>> instances = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            for (int i = 0; i < 3; i++) {
                instances.add(RedisCache.builder("coherent", CacheCodec.strings()).redisUri(redis.uri())
                        .ttl(Duration.ofMinutes(10)).localTier(1_000, LOCAL_TTL).build());
            }
            RedisCache<String> a = instances.get(0);
            RedisCache<String> b = instances.get(1);
            RedisCache<String> c = instances.get(2);
            // ready once every instance is on Redis and subscribed: a put by a replaces b's and c's local copies
            AtomicInteger round = new AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String value = "ready-" + round.incrementAndGet();
                b.get("ready", key -> "stale");
                c.get("ready", key -> "stale");
                a.put("ready", value);
                Thread.sleep(200);
                return instances.stream().noneMatch(RedisCache::redisOutage)
                        && b.get("ready", key -> "stale").equals(value) && c.get("ready", key -> "stale").equals(value);
            });
            String first = a.get("k", database);
            assertThat(b.get("k", database)).isEqualTo(first);
            assertThat(c.get("k", database)).isEqualTo(first);

            a.invalidate("k");
            long invalidated = System.nanoTime();
            await().atMost(LOCAL_TTL).until(() -> !b.get("k", database).equals(first) && !c.get("k", database).equals(first));
            assertThat(Duration.ofNanos(System.nanoTime() - invalidated)).isLessThan(LOCAL_TTL);

            a.put("k", "put by a");
            await().atMost(LOCAL_TTL).until(() -> b.get("k", database).equals("put by a") && c.get("k", database).equals("put by a"));

            b.get("tagged", database, "customer:7");
            c.get("tagged", database);
            a.invalidateAll("customer:7");
            String before = c.getIfPresent("tagged").orElse("gone");
            await().atMost(LOCAL_TTL).until(() -> c.getIfPresent("tagged").isEmpty() || !c.getIfPresent("tagged").get().equals(before));

            String kept = c.get("k", database);
            b.clear();
            await().atMost(LOCAL_TTL).until(() -> a.getIfPresent("k").isEmpty() && c.getIfPresent("k").isEmpty());
            assertThat(kept).isEqualTo("put by a");
        } finally {
            instances.forEach(RedisCache::close);
        }
    }
}
